package io.burnguard.agent.control;

import io.burnguard.agent.contract.Operation;
import io.burnguard.config.Role;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
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
 *       the roles of its {@link Operation}; {@link Connection}, {@link Denials}).
 *   <li><b>Hostile input.</b> A request is one JSON line of at most {@link Wire#MAX_REQUEST_BYTES},
 *       read under a deadline; garbage, oversized, slow or half-open clients get an error reply
 *       (when still possible) and are disconnected ({@link RequestReader}). Nothing a client sends
 *       can throw past the connection's handler.
 *   <li><b>Exhaustion.</b> At most {@link #MAX_CONNECTIONS} requests are served at once; more are
 *       told the daemon is busy ({@link AcceptLoop}). Every reply write is under a deadline, so a
 *       client that stops reading cannot pin a thread ({@link ReplyWriter}).
 * </ul>
 *
 * <p>This class only assembles those parts and owns their life cycle: bind, accept, close.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

  static final int MAX_CONNECTIONS = 32;

  private final Path socket;
  private final Watchdog watchdog = new Watchdog();
  private final AtomicInteger threadIds = new AtomicInteger();
  private final ThreadPoolExecutor workers;
  private final ReplyWriter replies = new ReplyWriter(watchdog);
  private final Connection connection;
  private ServerSocketChannel server;
  private Thread acceptor;
  private volatile boolean closing;

  /**
   * A server whose roles and handlers never change.
   *
   * @param roleOfGroup the station config's map from OS group to role
   * @param handlers the built operations; a known operation without a handler is answered "not
   *     built yet" after authorization
   * @param denials told about every refused request
   * @param logHint where the daemon log is, named in internal-error replies
   */
  public ControlServer(
      Path socket,
      Map<String, Role> roleOfGroup,
      Map<Operation, Handler> handlers,
      DenialRecorder denials,
      String logHint) {
    this(socket, fixed(new Routes(roleOfGroup, handlers)), denials, logHint);
  }

  /**
   * A server that asks {@code routes} for the current roles and handlers once per connection (a
   * daemon whose configuration can be reloaded).
   *
   * @param denials told about every refused request
   * @param logHint where the daemon log is, named in internal-error replies
   */
  public ControlServer(
      Path socket, Supplier<Routes> routes, DenialRecorder denials, String logHint) {
    this.socket = socket;
    this.connection =
        new Connection(routes, new RequestReader(watchdog), replies, new Denials(denials), logHint);
    this.workers =
        new ThreadPoolExecutor(
            2,
            MAX_CONNECTIONS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "control-" + threadIds.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  private static Supplier<Routes> fixed(Routes routes) {
    return () -> routes;
  }

  /**
   * Binds the socket (mode 0660, group of its directory; {@link SocketBinding}), starts accepting.
   */
  public void start() throws IOException {
    server = SocketBinding.bind(socket);
    acceptor =
        new Thread(
            new AcceptLoop(socket, server, workers, connection::serve, replies, () -> closing),
            "control-accept");
    acceptor.start();
    log.info("control socket listening on {}", socket);
  }

  /** The socket file this server listens on. */
  public Path socket() {
    return socket;
  }

  /** Stops accepting, waits briefly for requests in flight, removes the socket file. */
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
    workers.shutdown();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("requests still running after 10 s at shutdown; stopping them");
        workers.shutdownNow();
      }
      if (acceptor != null) {
        acceptor.join(2000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watchdog.close();
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", socket, e.getMessage());
    }
  }
}
