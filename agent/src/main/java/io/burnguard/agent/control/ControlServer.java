package io.burnguard.agent.control;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.config.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's end of the control socket.
 *
 * <p>Design and threats:
 *
 * <ul>
 *   <li><b>Who may connect</b> is decided twice: by the file system (the socket is 0660 inside a
 *       0750 directory of the agent's group, prepared by the daemon) and by roles (every request is
 *       authorized against the caller's groups from {@code SO_PEERCRED}).
 *   <li><b>Hostile input.</b> A request is one JSON line of at most {@link Wire#MAX_REQUEST_BYTES},
 *       read under a deadline; garbage, oversized, slow or half-open clients get an error reply
 *       (when still possible) and are disconnected. Nothing a client sends can throw past the
 *       connection's handler.
 *   <li><b>Exhaustion.</b> At most {@link #MAX_CONNECTIONS} requests are served at once; more are
 *       told the daemon is busy. Every reply write is under a deadline, so a client that stops
 *       reading cannot pin a thread.
 * </ul>
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

  static final int MAX_CONNECTIONS = 32;
  private static final long WRITE_DEADLINE_MS = 30_000;

  /** Told about each refused request, so it lands in the station's records. */
  public interface DenialRecorder {
    void denied(Caller caller, String op, Set<Role> needed);
  }

  private final Path socket;
  private final Map<String, Role> roleOfGroup;
  private final Map<String, Operation> operations;
  private final DenialRecorder denials;
  private final String logHint;
  private final Watchdog watchdog = new Watchdog();
  private final AtomicInteger threadIds = new AtomicInteger();
  private final ThreadPoolExecutor workers;
  private ServerSocketChannel server;
  private Thread acceptor;
  private volatile boolean closing;

  /**
   * @param logHint where the daemon log is, named in internal-error replies
   */
  public ControlServer(
      Path socket,
      Map<String, Role> roleOfGroup,
      Map<String, Operation> operations,
      DenialRecorder denials,
      String logHint) {
    this.socket = socket;
    this.roleOfGroup = Map.copyOf(roleOfGroup);
    this.operations = Map.copyOf(operations);
    this.denials = denials;
    this.logHint = logHint;
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

  /**
   * Binds the socket (mode 0660, group of its directory) and starts accepting. The socket is bound
   * under a temporary name, given its mode and group, and only then renamed into place, so there is
   * no moment at which the final path accepts connections with the umask's mode.
   */
  public void start() throws IOException {
    Path dir = socket.toAbsolutePath().getParent();
    Path staging = dir.resolve("." + socket.getFileName() + ".new");
    Files.deleteIfExists(staging);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(staging));
    Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-rw----"));
    PosixFileAttributeView view =
        Files.getFileAttributeView(
            staging, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    view.setGroup(Files.readAttributes(dir, PosixFileAttributes.class).group());
    Files.move(staging, socket, StandardCopyOption.ATOMIC_MOVE);
    acceptor = new Thread(this::acceptLoop, "control-accept");
    acceptor.start();
    log.info("control socket listening on {}", socket);
  }

  private void acceptLoop() {
    while (!closing) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closing) {
          log.warn("accept on {} failed: {}", socket, e.getMessage());
        }
        continue;
      }
      try {
        workers.execute(() -> serve(ch));
      } catch (RejectedExecutionException e) {
        replyAndClose(
            ch,
            Result.fail(
                ExitCode.UNAVAILABLE,
                "the daemon is busy serving "
                    + MAX_CONNECTIONS
                    + " requests; try again in a moment"));
      }
    }
  }

  private void serve(SocketChannel ch) {
    try (ch) {
      Caller caller;
      try {
        caller = PeerCredentials.of(ch, roleOfGroup);
      } catch (IOException | RuntimeException e) {
        log.warn("cannot identify a control-socket peer: {}", e.getMessage());
        reply(ch, Result.fail(ExitCode.REFUSED, "the daemon could not identify you; refused"));
        return;
      }
      JsonNode request;
      try {
        request = readRequest(ch);
      } catch (BadRequest e) {
        log.warn("bad request from {} (uid {}): {}", caller.user(), caller.uid(), e.getMessage());
        reply(ch, Result.fail(ExitCode.USAGE, e.getMessage()));
        return;
      }
      reply(ch, dispatch(ch, caller, request));
    } catch (IOException e) {
      log.debug("control connection ended: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("control connection failed", e);
    }
  }

  private Result dispatch(SocketChannel ch, Caller caller, JsonNode request) {
    String opName = request.path("op").asText("");
    Operation op = operations.get(opName);
    if (op == null) {
      return Result.fail(
          ExitCode.USAGE,
          "the daemon does not know the request \""
              + opName
              + "\"; the CLI and the daemon may be different versions: restart the daemon after an"
              + " upgrade");
    }
    if (!caller.hasAny(op.roles())) {
      denials.denied(caller, opName, op.roles());
      return Result.fail(ExitCode.REFUSED, denialMessage(caller, opName, op.roles()));
    }
    if (op.handler() == null) {
      return Result.fail(
          ExitCode.USAGE,
          "\"" + opName.replace('.', ' ') + "\" is not built yet in this version of BurnGuard");
    }
    JsonNode args = request.get("args");
    ConnectionCall call = new ConnectionCall(ch, caller, args == null ? Wire.object() : args);
    try {
      Result r = op.handler().handle(call);
      call.flushStdout();
      return r;
    } catch (OperationException e) {
      return Result.fail(e.exit(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("request {} from {} failed", opName, caller.user(), e);
      return Result.fail(
          ExitCode.INTERNAL,
          "internal error while serving \""
              + opName
              + "\" ("
              + e.getClass().getSimpleName()
              + "); details are in the daemon log"
              + logHint);
    }
  }

  static String denialMessage(Caller caller, String op, Set<Role> needed) {
    Set<String> need = new TreeSet<>();
    needed.forEach(r -> need.add(r.word()));
    Set<String> have = new TreeSet<>();
    caller.roles().forEach(r -> have.add(r.word()));
    String needWords =
        need.size() == Role.values().length
            ? "a BurnGuard role (any of " + String.join(", ", need) + ")"
            : "the role " + String.join(" or ", need);
    return "refused: \""
        + op.replace('.', ' ')
        + "\" needs "
        + needWords
        + "; you are "
        + caller.user()
        + " in groups "
        + caller.groups()
        + ", which map to "
        + (have.isEmpty() ? "no role" : "the roles " + String.join(", ", have))
        + ". Ask the station engineer to add you to a group mapped to "
        + (need.size() == Role.values().length ? "a role" : String.join(" or ", need))
        + " in station.yaml (roles:). This refusal is recorded.";
  }

  /** Reads one request line under a deadline and checks its envelope. */
  private JsonNode readRequest(SocketChannel ch) throws BadRequest, IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
    ByteBuffer bb = ByteBuffer.allocate(8192);
    try (Watchdog.Deadline d = watchdog.arm(ch, Wire.REQUEST_DEADLINE_MS)) {
      outer:
      while (true) {
        bb.clear();
        int n;
        try {
          n = ch.read(bb);
        } catch (ClosedChannelException e) {
          if (d.fired()) {
            throw new IOException(
                "request not received within " + Wire.REQUEST_DEADLINE_MS + " ms");
          }
          throw e;
        }
        if (n < 0) {
          if (buf.size() == 0) {
            throw new IOException("client closed without a request");
          }
          break;
        }
        for (int i = 0; i < n; i++) {
          byte b = bb.get(i);
          if (b == '\n') {
            break outer;
          }
          if (buf.size() >= Wire.MAX_REQUEST_BYTES) {
            throw new BadRequest(
                "request larger than "
                    + Wire.MAX_REQUEST_BYTES
                    + " bytes refused; requests are a single short JSON line");
          }
          buf.write(b);
        }
      }
    }
    return parse(buf.toString(StandardCharsets.UTF_8));
  }

  static JsonNode parse(String line) throws BadRequest {
    JsonNode n;
    try {
      n = Wire.JSON.readTree(line);
    } catch (JacksonException e) {
      throw new BadRequest(
          "request is not valid JSON; the control socket expects one JSON"
              + " object per line as sent by the burnguard CLI");
    }
    if (n == null || !n.isObject()) {
      throw new BadRequest("request must be a JSON object with \"v\", \"op\" and \"args\"");
    }
    if (n.path("v").asInt(-1) != Wire.VERSION) {
      throw new BadRequest(
          "request has protocol version "
              + n.path("v")
              + ", expected "
              + Wire.VERSION
              + "; use the burnguard CLI of the same version as the daemon");
    }
    if (!n.path("op").isTextual()) {
      throw new BadRequest("request lacks the text field \"op\"");
    }
    JsonNode args = n.get("args");
    if (args != null && !args.isObject()) {
      throw new BadRequest("request field \"args\" must be a JSON object");
    }
    return n;
  }

  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message);
    }
  }

  private void replyAndClose(SocketChannel ch, Result r) {
    try (ch) {
      reply(ch, r);
    } catch (IOException e) {
      log.debug("reply failed: {}", e.getMessage());
    }
  }

  private void reply(SocketChannel ch, Result r) throws IOException {
    write(ch, r.toJson());
  }

  private void write(SocketChannel ch, JsonNode line) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(Wire.line(line));
    synchronized (ch) {
      try (Watchdog.Deadline d = watchdog.arm(ch, WRITE_DEADLINE_MS)) {
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
      }
    }
  }

  /** A call bound to one connection. Progress writes never throw into the operation. */
  private final class ConnectionCall implements Call {
    private final SocketChannel ch;
    private final Caller caller;
    private final JsonNode args;
    private volatile boolean connected = true;
    private final java.io.Writer stdout =
        new java.io.Writer() {
          private final StringBuilder buf = new StringBuilder();

          @Override
          public void write(char[] c, int off, int len) {
            buf.append(c, off, len);
            if (buf.length() >= 16 * 1024) {
              flush();
            }
          }

          @Override
          public void flush() {
            if (buf.length() > 0) {
              ObjectNode n = Wire.object();
              n.put("type", "out");
              n.put("text", buf.toString());
              buf.setLength(0);
              send(n);
            }
          }

          @Override
          public void close() {
            flush();
          }
        };

    ConnectionCall(SocketChannel ch, Caller caller, JsonNode args) {
      this.ch = ch;
      this.caller = caller;
      this.args = args;
    }

    @Override
    public Caller caller() {
      return caller;
    }

    @Override
    public JsonNode args() {
      return args;
    }

    @Override
    public void progress(String phase, long done, long total) {
      ObjectNode n = Wire.object();
      n.put("type", "progress");
      n.put("phase", phase);
      n.put("done", done);
      n.put("total", total);
      send(n);
    }

    @Override
    public void info(String message) {
      ObjectNode n = Wire.object();
      n.put("type", "info");
      n.put("message", message);
      send(n);
    }

    @Override
    public java.io.Writer stdout() {
      return stdout;
    }

    void flushStdout() {
      try {
        stdout.flush();
      } catch (IOException e) {
        connected = false;
      }
    }

    @Override
    public boolean clientConnected() {
      return connected && ch.isOpen();
    }

    private void send(JsonNode n) {
      if (!connected) {
        return;
      }
      try {
        write(ch, n);
      } catch (IOException e) {
        connected = false;
        log.info("client of {} went away; the operation goes on", caller.user());
      }
    }
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
