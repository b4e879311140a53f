package io.burnguard.agent.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One connection to clamd, one command.
 *
 * <p>Design: Unix-domain channels have no {@code SO_TIMEOUT}, so every wait (connect, room to
 * write, a reply byte) goes through a {@link Selector} on a non-blocking channel with an explicit
 * deadline: the earlier of "read timeout from now" and the command's total deadline. The same code
 * serves TCP, so both transports time out identically. Threat: a hung or hostile listener must
 * never hold a burn forever; it costs at most the configured timeouts and yields {@code TIMEOUT}.
 *
 * <p>A daemon that stops a stream early (StreamMaxLength) writes its reply and closes; our next
 * write then fails. {@link PeerClosed} lets the caller read that reply anyway.
 */
final class ClamdConnection implements AutoCloseable {
  private final ClamdSettings settings;
  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final long totalDeadline;

  /** The peer closed or reset the connection while we were writing. */
  static final class PeerClosed extends Exception {
    private static final long serialVersionUID = 1L;

    PeerClosed(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private ClamdConnection(
      ClamdSettings settings,
      SocketChannel channel,
      Selector selector,
      SelectionKey key,
      long totalDeadline) {
    this.settings = settings;
    this.channel = channel;
    this.selector = selector;
    this.key = key;
    this.totalDeadline = totalDeadline;
  }

  static ClamdConnection open(ClamdSettings s) throws ScanException {
    long now = System.nanoTime();
    long total = now + s.totalTimeout().toNanos();
    SocketChannel ch = null;
    Selector sel = null;
    try {
      ch = s.address().openChannel();
      ch.configureBlocking(false);
      sel = Selector.open();
      SelectionKey k = ch.register(sel, 0);
      ClamdConnection c = new ClamdConnection(s, ch, sel, k, total);
      if (!ch.connect(s.address().socketAddress())) {
        long deadline = Math.min(now + s.connectTimeout().toNanos(), total);
        while (!ch.finishConnect()) {
          c.await(SelectionKey.OP_CONNECT, deadline, "accept the connection");
        }
      }
      return c;
    } catch (IOException e) {
      closeQuietly(ch, sel);
      throw new ScanException(
          ScanException.Reason.UNREACHABLE,
          "cannot connect to clamd at " + s.address() + ": " + e.getMessage(),
          null,
          e);
    } catch (ScanException e) {
      closeQuietly(ch, sel);
      throw e;
    }
  }

  /** Sends a NUL-terminated z-command. */
  void sendCommand(String command) throws ScanException, PeerClosed {
    write(ByteBuffer.wrap(("z" + command + "\0").getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * Writes all of {@code bufs} (gathering), waiting at most the read timeout for room each time.
   */
  void write(ByteBuffer... bufs) throws ScanException, PeerClosed {
    try {
      while (bufs[bufs.length - 1].hasRemaining()) {
        if (channel.write(bufs) == 0) {
          await(SelectionKey.OP_WRITE, stepDeadline(), "read the data we send");
        }
      }
    } catch (IOException e) {
      throw new PeerClosed(e);
    }
  }

  /**
   * Reads one NUL-terminated reply. A reply cut by the connection closing is returned as far as it
   * came; an empty one is {@code CLOSED_EARLY}.
   */
  String readReply() throws ScanException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(512);
    IOException failure = null;
    try {
      while (true) {
        buf.clear();
        int n = channel.read(buf);
        if (n < 0) {
          break;
        }
        if (n == 0) {
          await(SelectionKey.OP_READ, stepDeadline(), "answer");
          continue;
        }
        for (int i = 0; i < n; i++) {
          byte b = buf.get(i);
          if (b == 0) {
            return out.toString(StandardCharsets.ISO_8859_1);
          }
          out.write(b);
        }
        if (out.size() > ClamdReplies.MAX_REPLY) {
          throw ClamdReplies.garbage(
              "a command", out.toString(StandardCharsets.ISO_8859_1), settings.address());
        }
      }
    } catch (IOException e) {
      failure = e;
    }
    if (out.size() > 0) {
      return out.toString(StandardCharsets.ISO_8859_1);
    }
    throw new ScanException(
        ScanException.Reason.CLOSED_EARLY,
        "clamd at "
            + settings.address()
            + " closed the connection without a reply"
            + (failure == null ? "" : " (" + failure.getMessage() + ")"),
        null,
        failure);
  }

  private long stepDeadline() {
    return Math.min(System.nanoTime() + settings.readTimeout().toNanos(), totalDeadline);
  }

  private void await(int op, long deadline, String what) throws IOException, ScanException {
    key.interestOps(op);
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        boolean total = deadline >= totalDeadline;
        throw new ScanException(
            ScanException.Reason.TIMEOUT,
            String.format(
                Locale.ROOT,
                "clamd at %s did not %s within the %s timeout of %d ms",
                settings.address(),
                what,
                op == SelectionKey.OP_CONNECT ? "connect" : total ? "total" : "read",
                op == SelectionKey.OP_CONNECT
                    ? settings.connectTimeout().toMillis()
                    : total
                        ? settings.totalTimeout().toMillis()
                        : settings.readTimeout().toMillis()));
      }
      int ready = selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      selector.selectedKeys().clear();
      if (ready > 0) {
        return;
      }
    }
  }

  private static void closeQuietly(SocketChannel ch, Selector sel) {
    try {
      if (sel != null) {
        sel.close();
      }
    } catch (IOException ignored) {
      // nothing to report: the connection is being abandoned
    }
    try {
      if (ch != null) {
        ch.close();
      }
    } catch (IOException ignored) {
      // nothing to report: the connection is being abandoned
    }
  }

  @Override
  public void close() {
    closeQuietly(channel, selector);
  }
}
