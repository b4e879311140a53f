package io.burnguard.drivers.tftp;

import io.burnguard.drivers.ImageSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only TFTP server for one image and one client.
 *
 * <p>Threat: a TFTP server on a factory network is an open door (no authentication, RFC 1350 §1).
 * This one serves exactly one file, the current job's verified image, only to the fixture's device
 * address, refuses writes (RFC 1350 WRQ → error 2), and runs only while the job does.
 *
 * <p>Protocol: RFC 1350 with option negotiation (RFC 2347) for blksize (RFC 2348), tsize (RFC 2349)
 * and windowsize (RFC 7440). The {@code timeout} option is not acknowledged, so both ends keep
 * their own retransmission timer (allowed by RFC 2347 §3: the server may omit options). Each
 * transfer runs on a fresh socket (new TID, RFC 1350 §4). Duplicate ACKs do not trigger resends
 * (RFC 1123 §4.2.3.1, the Sorcerer's Apprentice); a lost packet is resent after {@code retransmit}.
 * Transfers run one at a time on the server's thread: a station serves one board.
 */
public final class TftpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TftpServer.class);

  /**
   * Server settings.
   *
   * @param bind address and port to listen on (port 69 on the fixture's interface)
   * @param client the only device address served
   * @param fileName the only file name served (a leading '/' from the client is ignored)
   * @param maxBlockSize largest blksize granted; 1468 fits a 1500-byte Ethernet MTU
   * @param maxWindowSize largest windowsize granted
   * @param retransmit time to wait for an ACK before resending
   * @param maxRetries resends of one window before giving up
   */
  public record Config(
      InetSocketAddress bind,
      InetAddress client,
      String fileName,
      int maxBlockSize,
      int maxWindowSize,
      Duration retransmit,
      int maxRetries) {
    public Config {
      Objects.requireNonNull(bind, "bind");
      Objects.requireNonNull(client, "client");
      Objects.requireNonNull(fileName, "fileName");
      if (maxBlockSize < 8 || maxBlockSize > 65464) {
        throw new IllegalArgumentException("maxBlockSize must be 8..65464 (RFC 2348)");
      }
      if (maxWindowSize < 1 || maxWindowSize > 65535) {
        throw new IllegalArgumentException("maxWindowSize must be 1..65535 (RFC 7440)");
      }
      if (retransmit.toMillis() < 10 || maxRetries < 1) {
        throw new IllegalArgumentException("retransmit must be >= 10 ms and maxRetries >= 1");
      }
    }

    public static Config defaults(InetSocketAddress bind, InetAddress client, String fileName) {
      return new Config(bind, client, fileName, 1468, 64, Duration.ofMillis(500), 8);
    }
  }

  /**
   * How one transfer ended.
   *
   * @param complete every block acknowledged
   * @param bytes bytes acknowledged by the client
   * @param blockSize negotiated block size
   * @param windowSize negotiated window size
   * @param failure why it did not complete, or empty
   */
  public record Result(
      boolean complete, long bytes, int blockSize, int windowSize, String failure) {}

  /** Called as blocks are acknowledged. */
  @FunctionalInterface
  public interface Listener {
    void acknowledged(long bytes, long total);
  }

  private final Config config;
  private final ImageSource image;
  private final long length;
  private final UdpChannelFactory udp;
  private final Listener listener;
  private final DatagramChannel listen;
  private final Thread thread;
  private final LinkedBlockingQueue<Result> results = new LinkedBlockingQueue<>();
  private volatile boolean closed;
  private volatile String refused = "";

  private TftpServer(
      Config config, ImageSource image, long length, UdpChannelFactory udp, Listener listener)
      throws IOException {
    this.config = config;
    this.image = image;
    this.length = length;
    this.udp = udp;
    this.listener = listener;
    this.listen = udp.open(config.bind());
    this.thread = new Thread(this::serve, "tftp-" + config.bind());
    this.thread.setDaemon(true);
  }

  /** Binds and starts serving. */
  public static TftpServer start(
      Config config, ImageSource image, long length, UdpChannelFactory udp, Listener listener)
      throws IOException {
    TftpServer s = new TftpServer(config, image, length, udp, listener);
    s.thread.start();
    return s;
  }

  /** The bound address (port 0 in the config yields the real one here). */
  public InetSocketAddress address() throws IOException {
    return (InetSocketAddress) listen.getLocalAddress();
  }

  /** The next finished transfer, or null if none finished within the timeout. */
  public Result awaitResult(Duration timeout) throws InterruptedException {
    return results.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The last request refused (wrong client, file, mode), for diagnostics; empty if none. */
  public String lastRefusal() {
    return refused;
  }

  private void serve() {
    ByteBuffer in = ByteBuffer.allocate(1024);
    try {
      listen.socket().setSoTimeout(200);
      while (!closed) {
        in.clear();
        InetSocketAddress from;
        try {
          from = receive(listen, in);
        } catch (SocketTimeoutException e) {
          continue;
        }
        handleRequest(in, from);
      }
    } catch (IOException e) {
      if (!closed) {
        LOG.warn("TFTP server on {} stopped: {}", config.bind(), e.toString());
        results.add(new Result(false, 0, 0, 0, "TFTP server stopped: " + e.getMessage()));
      }
    }
  }

  static InetSocketAddress receive(DatagramChannel ch, ByteBuffer in) throws IOException {
    java.net.DatagramPacket p = new java.net.DatagramPacket(in.array(), in.capacity());
    ch.socket().receive(p);
    in.position(0).limit(p.getLength());
    return (InetSocketAddress) p.getSocketAddress();
  }

  private void handleRequest(ByteBuffer in, InetSocketAddress from) throws IOException {
    int op = TftpPackets.opcode(in);
    if (op != TftpPackets.RRQ && op != TftpPackets.WRQ) {
      return; // stray DATA/ACK on port 69: not ours to answer
    }
    TftpPackets.Request req = TftpPackets.parseRequest(in);
    String refusal = refusal(req, from);
    if (refusal != null) {
      refused = refusal;
      LOG.warn("TFTP request refused: {}", refusal);
      int code =
          req == null
              ? TftpPackets.ERR_ILLEGAL
              : op == TftpPackets.WRQ || !from.getAddress().equals(config.client())
                  ? TftpPackets.ERR_ACCESS
                  : TftpPackets.ERR_NOT_FOUND;
      listen.send(TftpPackets.error(code, refusal), from);
      return;
    }
    try (DatagramChannel session = udp.open(new InetSocketAddress(config.bind().getAddress(), 0))) {
      Result r = new TftpTransfer(session, from, config, image, length, listener).run(req);
      LOG.info("TFTP transfer to {}: {}", from, r);
      results.add(r);
    }
  }

  private String refusal(TftpPackets.Request req, InetSocketAddress from) {
    if (req == null) {
      return "malformed request from " + from;
    }
    if (!from.getAddress().equals(config.client())) {
      return "request from "
          + from.getAddress().getHostAddress()
          + ", but only the fixture's device "
          + config.client().getHostAddress()
          + " is served";
    }
    if (req.opcode() == TftpPackets.WRQ) {
      return "write request for '" + req.file() + "'; this server is read-only";
    }
    String name = req.file().startsWith("/") ? req.file().substring(1) : req.file();
    if (!name.equals(config.fileName())) {
      return "request for '" + req.file() + "', but only '" + config.fileName() + "' is served";
    }
    if (!"octet".equals(req.mode())) {
      return "mode '" + req.mode() + "' requested; only octet is served";
    }
    return null;
  }

  @Override
  public void close() {
    closed = true;
    try {
      listen.close();
    } catch (IOException e) {
      LOG.debug("closing TFTP socket", e);
    }
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads exactly {@code len} bytes unless the stream ends first; returns the count read. */
  static int readFully(InputStream in, byte[] b, int len) throws IOException {
    int n = 0;
    while (n < len) {
      int r = in.read(b, n, len - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }
}
