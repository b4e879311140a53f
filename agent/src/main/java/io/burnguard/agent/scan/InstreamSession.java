package io.burnguard.agent.scan;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * One INSTREAM in progress (clamd(8): {@code zINSTREAM}, then chunks of a 4-byte big-endian length
 * and the data, ended by a zero-length chunk). Bytes are pushed as they arrive, so a caller can
 * feed clamd from the same read that feeds the digest and the cache. Not thread-safe: one feeder.
 *
 * <p>Fail closed: once any step fails the session stays failed, and a verdict is only ever taken
 * from clamd's reply to the complete stream. A clean reply before the end is refused.
 */
public final class InstreamSession implements AutoCloseable {
  private final ClamdSettings settings;
  private final ClamdConnection conn;
  private final ByteBuffer header = ByteBuffer.allocate(4);
  private long sent;
  private ScanException failed;
  private boolean done;

  InstreamSession(ClamdSettings settings, ClamdConnection conn) {
    this.settings = settings;
    this.conn = conn;
  }

  /** Streams {@code len} bytes of {@code b} from {@code off}, in chunks. */
  public void write(byte[] b, int off, int len) throws ScanException {
    checkOpen();
    long limit = settings.streamMaxLength();
    if (limit > 0 && sent + len > limit) {
      throw fail(
          new ScanException(
              ScanException.Reason.SIZE_LIMIT,
              String.format(
                  Locale.ROOT,
                  "the stream to clamd at %s would exceed its StreamMaxLength of %d bytes",
                  settings.address(),
                  limit)));
    }
    int pos = off;
    int end = off + len;
    while (pos < end) {
      int n = Math.min(settings.chunkSize(), end - pos);
      header.clear();
      header.putInt(n).flip();
      try {
        conn.write(header, ByteBuffer.wrap(b, pos, n));
      } catch (ClamdConnection.PeerClosed e) {
        throw fail(earlyReply(e));
      } catch (ScanException e) {
        throw fail(e);
      }
      pos += n;
      sent += n;
    }
  }

  /** Ends the stream and returns clamd's verdict. */
  public ClamdResult finish() throws ScanException {
    checkOpen();
    done = true;
    try {
      conn.write(ByteBuffer.allocate(4));
      return ClamdReplies.parseScan(conn.readReply(), sent, settings.address());
    } catch (ClamdConnection.PeerClosed e) {
      throw fail(earlyReply(e));
    } catch (ScanException e) {
      throw fail(e);
    } finally {
      conn.close();
    }
  }

  /** Bytes streamed so far. */
  public long bytesSent() {
    return sent;
  }

  /** Abandons the stream (no verdict). */
  @Override
  public void close() {
    done = true;
    conn.close();
  }

  private void checkOpen() throws ScanException {
    if (failed != null) {
      throw failed;
    }
    if (done) {
      throw new IllegalStateException("this INSTREAM session has already ended");
    }
  }

  private ScanException fail(ScanException e) {
    failed = e;
    conn.close();
    return e;
  }

  /** clamd closed mid-stream: read whatever it said (typically the size limit) before closing. */
  private ScanException earlyReply(ClamdConnection.PeerClosed closed) {
    try {
      ClamdResult r = ClamdReplies.parseScan(conn.readReply(), sent, settings.address());
      if (r.clean()) {
        return new ScanException(
            ScanException.Reason.CLOSED_EARLY,
            "clamd at " + settings.address() + " answered OK before the stream was complete");
      }
      return ScanException.malware(r.signature(), "the stream");
    } catch (ScanException e) {
      if (e.reason() == ScanException.Reason.CLOSED_EARLY) {
        return new ScanException(
            ScanException.Reason.CLOSED_EARLY,
            String.format(
                Locale.ROOT,
                "clamd at %s closed the connection after %d bytes without a verdict (%s)",
                settings.address(),
                sent,
                closed.getMessage()),
            null,
            closed);
      }
      return e;
    }
  }
}
