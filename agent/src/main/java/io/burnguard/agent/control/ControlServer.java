package io.burnguard.agent.control;

import io.burnguard.agent.contract.Operation;
import io.burnguard.config.Role;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's end of the control socket.
 *
 * <p>Design and threats:
 *
 * <ul>
 *   <li><b>Who may connect</b> is decided twice: by the file system (the socket is 0660 inside a
 *       0750 directory of the agent's group, prepared by the daemon; {@link SocketBinding}) and by
 *       roles (every request is authorized against the caller's groups from {@code SO_PEERCRED} and
 *       the roles of its {@link Operation}; {@link PeerCredentials}, {@link Denials}).
 *   <li><b>Hostile input.</b> A request is one JSON line of at most {@link Wire#MAX_REQUEST_BYTES}
 *       with an exact envelope and bounded, printable arguments ({@link RequestReader}, {@link
 *       ArgumentCheck}); garbage gets an error reply and is disconnected. Nothing a client sends
 *       can throw past the connection's handler.
 *   <li><b>Exhaustion.</b> Request lines are read on one selector thread, so idle connections hold
 *       no worker; connections are bounded per user and in all, and of the {@link #MAX_CONNECTIONS}
 *       workers some are kept for operators ({@link SelectorLoop}, {@link Admission}). A refused
 *       connection is told the daemon is busy (exit 5). Every reply write is under a deadline, so a
 *       client that stops reading cannot pin a thread ({@link ReplyWriter}).
 *   <li><b>Floods of refusals</b> are coalesced before they are recorded, with exact counts ({@link
 *       RefusalCoalescer}), so the disk is not the attack surface.
 * </ul>
 *
 * <p>This class only assembles those parts and owns their life cycle: bind, accept, close.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

  /** Requests served at once (workers). */
  static final int MAX_CONNECTIONS = 32;

  private final Path socket;
  private final Supplier<Routes> routes;
  private final Watchdog watchdog = new Watchdog();
  private final AtomicInteger threadIds = new AtomicInteger();
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService recordThread;
  private final RefusalCoalescer coalescer;
  private final RefusalCoalescer badRequests;
  private final Connection connection;
  private ServerSocketChannel server;
  private Thread selector;
  private volatile boolean closing;

  /**
   * A server whose roles and handlers never change.
   *
   * @param roleOfGroup the station config's map from OS group to role
   * @param handlers the built operations; a known operation without a handler is answered "not
   *     built yet" after authorization
   * @param denials told about refused requests, coalesced ({@link DenialRecorder})
   * @param clock the time of refusals
   * @param logHint where the daemon log is, named in internal-error replies
   */
  public ControlServer(
      Path socket,
      Map<String, Role> roleOfGroup,
      Map<Operation, Handler> handlers,
      DenialRecorder denials,
      Clock clock,
      String logHint) {
    this(socket, fixed(new Routes(roleOfGroup, handlers)), denials, clock, logHint);
  }

  /**
   * A server that asks {@code routes} for the current roles and handlers once per connection, when
   * it is accepted (a daemon whose configuration can be reloaded): the caller's roles and the
   * handler then come from the same generation.
   */
  public ControlServer(
      Path socket, Supplier<Routes> routes, DenialRecorder denials, Clock clock, String logHint) {
    this.socket = socket;
    this.routes = routes;
    this.coalescer = new RefusalCoalescer(denials, clock, RefusalCoalescer.WINDOW);
    this.badRequests =
        new RefusalCoalescer(Refusals::logBadRequests, clock, RefusalCoalescer.WINDOW);
    this.connection = new Connection(new ReplyWriter(watchdog), new Denials(coalescer), logHint);
    // Admission bounds the requests in flight to MAX_CONNECTIONS, so the queue never grows
    // beyond it; a queue (not a hand-off) avoids refusing work while a thread is returning.
    this.workers =
        new ThreadPoolExecutor(
            MAX_CONNECTIONS,
            MAX_CONNECTIONS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> daemonThread(r, "control-" + threadIds.incrementAndGet()));
    workers.allowCoreThreadTimeOut(true);
    this.recordThread =
        Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "control-record"));
  }

  private static Supplier<Routes> fixed(Routes routes) {
    return () -> routes;
  }

  private static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Binds the socket (mode 0660, group of its directory; {@link SocketBinding}), starts accepting.
   */
  public void start() throws IOException {
    server = SocketBinding.bind(socket);
    long tick = Math.max(1, RefusalCoalescer.WINDOW.toSeconds() / 12);
    recordThread.scheduleWithFixedDelay(
        () -> {
          coalescer.flushDue();
          badRequests.flushDue();
        },
        tick,
        tick,
        TimeUnit.SECONDS);
    selector =
        new Thread(
            new SelectorLoop(
                socket,
                server,
                routes,
                new Admission(),
                workers,
                connection,
                new Refusals(coalescer, badRequests, recordThread),
                () -> closing),
            "control-selector");
    selector.start();
    log.info("control socket listening on {}", socket);
  }

  /** The socket file this server listens on. */
  public Path socket() {
    return socket;
  }

  /**
   * Stops accepting, waits briefly for requests in flight, records the refusals still being
   * counted, removes the socket file.
   */
  @Override
  public void close() {
    closing = true;
    try {
      if (server != null) {
        server.close();
      }
    } catch (IOException e) {
      log.warn("closing {} failed: {}", socket, e.getMessage());
    }
    try {
      if (selector != null) {
        selector.join(2000);
      }
      workers.shutdown();
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("requests still running after 10 s at shutdown; stopping them");
        workers.shutdownNow();
      }
      recordThread.shutdown();
      if (!recordThread.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("refusals still being recorded after 10 s at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    coalescer.close();
    badRequests.close();
    watchdog.close();
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", socket, e.getMessage());
    }
  }
}
