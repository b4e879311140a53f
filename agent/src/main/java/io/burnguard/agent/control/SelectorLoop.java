package io.burnguard.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.burnguard.agent.contract.ExitCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections and reads their request lines on one selector thread; only a complete,
 * well-formed request of an admitted caller is handed to a worker.
 *
 * <p>Threat: exhaustion by idle connections (issue 12, finding 4). A worker that blocked reading a
 * request could be held 10 s by a client that sends nothing; 64 such clients held all 32 workers
 * and locked the operators out. Here a connection that has not sent its line costs a file
 * descriptor and a buffer, is bounded per user ({@link Admission}) and is cut after {@link
 * Wire#REQUEST_DEADLINE_MS}. The peer is identified ({@code SO_PEERCRED}) as soon as it is
 * accepted, so every limit and every record names the kernel's user. A refused connection is told
 * "busy" (exit 5) in a reply line, never left to a broken pipe, and the refusal is recorded through
 * {@link RefusalCoalescer}: once when a flood starts, then counted.
 */
final class SelectorLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(SelectorLoop.class);

  /** How often idle connections are looked for. */
  private static final long SWEEP_MS = 250;

  /** A connection still sending its request. */
  private static final class Pending {
    final Caller caller;
    final Routes routes;
    final RequestReader reader = new RequestReader();
    final long deadline = System.nanoTime() + Wire.REQUEST_DEADLINE_MS * 1_000_000L;

    Pending(Caller caller, Routes routes) {
      this.caller = caller;
      this.routes = routes;
    }
  }

  private record Handoff(SocketChannel ch, Caller caller, Routes routes, JsonNode request) {}

  private final Path socket;
  private final ServerSocketChannel server;
  private final Supplier<Routes> routes;
  private final Admission admission;
  private final Executor workers;
  private final Connection connection;
  private final Refusals refusals;
  private final BooleanSupplier closing;
  private final ByteBuffer readBuf = ByteBuffer.allocate(8192);
  private final List<Handoff> handoffs = new ArrayList<>();

  SelectorLoop(
      Path socket,
      ServerSocketChannel server,
      Supplier<Routes> routes,
      Admission admission,
      Executor workers,
      Connection connection,
      Refusals refusals,
      BooleanSupplier closing) {
    this.socket = socket;
    this.server = server;
    this.routes = routes;
    this.admission = admission;
    this.workers = workers;
    this.connection = connection;
    this.refusals = refusals;
    this.closing = closing;
  }

  @Override
  public void run() {
    try (Selector selector = Selector.open()) {
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
      while (!closing.getAsBoolean() && server.isOpen()) {
        selector.select(SWEEP_MS);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          if (!key.isValid()) {
            continue;
          }
          try {
            if (key.isAcceptable()) {
              acceptAll(selector);
            } else if (key.isReadable()) {
              read(key);
            }
          } catch (RuntimeException e) {
            // One connection's bug must not stop the socket for everyone.
            log.error("control connection failed on the selector", e);
            if (key.attachment() instanceof Pending p && key.isValid()) {
              drop(key, p);
            }
          }
        }
        cutIdle(selector);
        if (!handoffs.isEmpty()) {
          // Cancelled keys are deregistered by the next selection; only then may the channel
          // go back to blocking mode for its worker.
          selector.selectNow();
          handoffs.forEach(this::start);
          handoffs.clear();
        }
      }
      for (SelectionKey k : selector.keys()) {
        if (k.isValid() && k.attachment() instanceof Pending p) {
          drop(k, p);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!closing.getAsBoolean()) {
        log.error("the control socket {} stopped accepting", socket, e);
      }
    }
  }

  private void acceptAll(Selector selector) {
    while (true) {
      SocketChannel ch;
      try {
        ch = server.accept();
        if (ch == null) {
          return;
        }
        ch.configureBlocking(false);
      } catch (IOException e) {
        if (!closing.getAsBoolean()) {
          log.warn("accept on {} failed: {}", socket, e.getMessage());
        }
        return;
      }
      admit(selector, ch);
    }
  }

  private void admit(Selector selector, SocketChannel ch) {
    // One generation per connection: its roles now, its handlers when the request is served.
    Routes now = routes.get();
    Caller caller;
    try {
      caller = PeerCredentials.of(ch, now.roleOfGroup());
    } catch (IOException | RuntimeException e) {
      log.warn("cannot identify a control-socket peer: {}", e.getMessage());
      Refusals.replyAndClose(
          ch, Result.fail(ExitCode.REFUSED, "the daemon could not identify you; refused"));
      return;
    }
    String busy = admission.open(caller);
    if (busy != null) {
      refusals.busy(ch, caller, busy);
      return;
    }
    try {
      ch.register(selector, SelectionKey.OP_READ, new Pending(caller, now));
    } catch (IOException e) {
      admission.closed(caller);
      Refusals.closeQuietly(ch);
    }
  }

  private void read(SelectionKey key) {
    Pending p = (Pending) key.attachment();
    SocketChannel ch = (SocketChannel) key.channel();
    readBuf.clear();
    int n;
    try {
      n = ch.read(readBuf);
    } catch (IOException e) {
      drop(key, p);
      return;
    }
    try {
      readBuf.flip();
      if (n >= 0 && !p.reader.append(readBuf)) {
        return;
      }
      if (n < 0 && p.reader.empty()) {
        drop(key, p);
        return;
      }
      complete(key, p, p.reader.request());
    } catch (BadRequest e) {
      refusals.badRequest(p.caller, e.getMessage());
      key.cancel();
      admission.closed(p.caller);
      Refusals.replyAndClose(ch, Result.fail(ExitCode.USAGE, e.getMessage()));
    }
  }

  private void complete(SelectionKey key, Pending p, JsonNode request) {
    key.cancel();
    String busy = admission.work(p.caller);
    if (busy != null) {
      admission.closed(p.caller);
      refusals.busy((SocketChannel) key.channel(), p.caller, busy);
      return;
    }
    handoffs.add(new Handoff((SocketChannel) key.channel(), p.caller, p.routes, request));
  }

  private void start(Handoff h) {
    Runnable serve =
        () -> {
          try {
            connection.serve(h.ch(), h.caller(), h.request(), h.routes().handlers());
          } finally {
            admission.done(h.caller());
            admission.closed(h.caller());
          }
        };
    try {
      h.ch().configureBlocking(true);
      workers.execute(serve);
    } catch (IOException | RejectedExecutionException e) {
      log.debug("cannot serve a request of {}: {}", h.caller().user(), e.getMessage());
      admission.done(h.caller());
      admission.closed(h.caller());
      Refusals.closeQuietly(h.ch());
    }
  }

  private void cutIdle(Selector selector) {
    long now = System.nanoTime();
    for (SelectionKey k : selector.keys()) {
      if (k.isValid() && k.attachment() instanceof Pending p && now - p.deadline > 0) {
        log.debug(
            "cut a connection of {} that sent no request within {} ms",
            p.caller.user(),
            Wire.REQUEST_DEADLINE_MS);
        drop(k, p);
      }
    }
  }

  private void drop(SelectionKey key, Pending p) {
    key.cancel();
    admission.closed(p.caller);
    Refusals.closeQuietly((SocketChannel) key.channel());
  }
}
