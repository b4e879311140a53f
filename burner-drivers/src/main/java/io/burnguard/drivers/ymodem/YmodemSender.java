package io.burnguard.drivers.ymodem;

import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.serial.SerialLink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * YMODEM-1K batch sender with CRC-16, one file per batch (Chuck Forsberg, "XMODEM/YMODEM PROTOCOL
 * REFERENCE", 1988).
 *
 * <p>Sequence (Forsberg §6-7): wait for the receiver's 'C'; send block 0 (SOH, number 0, the file
 * name, NUL, the decimal length) and wait for ACK; wait for 'C' again; send 1024-byte STX blocks
 * numbered from 1 (the tail, if 128 bytes or less, in a 128-byte SOH block), padded with CPMEOF;
 * send EOT until ACKed (receivers NAK the first EOT); answer the next 'C' with an empty block 0,
 * which ends the batch.
 *
 * <p>Errors: a block is resent on NAK or after {@link #ackTimeout} of silence, up to {@link
 * #maxRetries} times (Forsberg uses 10 and 10 s). Two consecutive CANs from the receiver abort (a
 * single CAN may be line noise, §4.2). On our own cancellation we send CAN CAN so the receiver
 * stops waiting. Bytes other than the expected replies are ignored: a boot loader may still be
 * printing when the transfer starts.
 */
public final class YmodemSender {
  static final byte SOH = 0x01;
  static final byte STX = 0x02;
  static final byte EOT = 0x04;
  static final byte ACK = 0x06;
  static final byte NAK = 0x15;
  static final byte CAN = 0x18;
  static final byte CRC_REQUEST = 'C';
  static final byte CPMEOF = 0x1A;

  /** Called after each acknowledged block. */
  @FunctionalInterface
  public interface Listener {
    void acknowledged(long bytes, long total);
  }

  private final SerialLink link;
  private final Clock clock;
  private final CancellationToken cancel;
  private Duration startTimeout = Duration.ofSeconds(60);
  private Duration ackTimeout = Duration.ofSeconds(10);
  private int maxRetries = 10;
  private final byte[] rx = new byte[256];
  private int rxLen;
  private int rxPos;

  public YmodemSender(SerialLink link, Clock clock, CancellationToken cancel) {
    this.link = link;
    this.clock = clock;
    this.cancel = cancel;
  }

  /** How long to wait for the receiver's first 'C'. */
  public YmodemSender startTimeout(Duration d) {
    this.startTimeout = d;
    return this;
  }

  public YmodemSender ackTimeout(Duration d) {
    this.ackTimeout = d;
    return this;
  }

  public YmodemSender maxRetries(int n) {
    this.maxRetries = n;
    return this;
  }

  /** Sends one file as a complete batch. */
  public void send(String name, long length, InputStream data, Listener listener)
      throws YmodemException {
    awaitCrcRequest(startTimeout, 0);
    sendBlock(header(name, length), 0, 0);
    awaitCrcRequest(ackTimeout, 0);
    long done = 0;
    int seq = 1;
    byte[] buf = new byte[1024];
    while (done < length) {
      int want = (int) Math.min(1024, length - done);
      int n = readFully(data, buf, want);
      if (n < want) {
        abort();
        throw new YmodemException(
            YmodemException.Reason.SOURCE_FAILED,
            String.format(Locale.ROOT, "image ended at byte %d, %d announced", done + n, length),
            done);
      }
      int size = n <= 128 ? 128 : 1024;
      byte[] block = Arrays.copyOf(buf, size);
      Arrays.fill(block, n, size, CPMEOF);
      sendBlock(block, seq, done);
      seq = (seq + 1) & 0xFF;
      done += n;
      listener.acknowledged(done, length);
    }
    endOfFile(done);
    finishBatch(done);
  }

  /**
   * Empty block 0 ends the batch (Forsberg §7.4). The file is complete once EOT is ACKed, and some
   * receivers (U-Boot's loady) do not always ask for the next header, so a missing 'C' or ACK here
   * is not an error: the device's checksum decides anyway. The wait for that 'C' is the reference's
   * 10 s (bounded by the ACK timeout): with a shorter one, a receiver slowed by a busy machine (rz
   * writing out the file) was left waiting for a block 0 that never came.
   */
  private void finishBatch(long done) throws YmodemException {
    long deadline = clock.millis() + Math.min(10_000, ackTimeout.toMillis());
    while (clock.millis() < deadline) {
      int r = awaitReply(Duration.ofMillis(Math.max(1, deadline - clock.millis())), done);
      if (r == CRC_REQUEST) {
        write(frame(new byte[128], 0), done);
        awaitReply(Duration.ofMillis(Math.min(3000, ackTimeout.toMillis())), done);
        return;
      }
    }
  }

  static byte[] header(String name, long length) {
    byte[] h = new byte[128];
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    byte[] l = Long.toString(length).getBytes(StandardCharsets.US_ASCII);
    if (n.length + 1 + l.length > 128) {
      throw new IllegalArgumentException("file name too long for YMODEM block 0");
    }
    System.arraycopy(n, 0, h, 0, n.length);
    System.arraycopy(l, 0, h, n.length + 1, l.length);
    return h;
  }

  private static byte[] frame(byte[] data, int seq) {
    byte[] frame = new byte[3 + data.length + 2];
    frame[0] = data.length == 1024 ? STX : SOH;
    frame[1] = (byte) seq;
    frame[2] = (byte) ~seq;
    System.arraycopy(data, 0, frame, 3, data.length);
    int crc = Crc16.xmodem(data, 0, data.length);
    frame[frame.length - 2] = (byte) (crc >> 8);
    frame[frame.length - 1] = (byte) crc;
    return frame;
  }

  private void sendBlock(byte[] data, int seq, long done) throws YmodemException {
    byte[] frame = frame(data, seq);
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      checkCancelled(done);
      write(frame, done);
      int r = awaitReply(ackTimeout, done);
      // A 'C' during data blocks is a stale request queued before block 0 was seen: keep
      // waiting for this block's answer. For block 0 itself, a 'C' means it was not received.
      while (r == CRC_REQUEST && seq != 0) {
        r = awaitReply(ackTimeout, done);
      }
      if (r == ACK) {
        return;
      }
      // NAK or timeout (-1): resend.
    }
    abort();
    throw new YmodemException(
        YmodemException.Reason.TOO_MANY_RETRIES,
        String.format(
            Locale.ROOT,
            "block %d was not acknowledged after %d attempts; the line may be dropping bytes",
            seq,
            maxRetries + 1),
        done);
  }

  private void endOfFile(long done) throws YmodemException {
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      checkCancelled(done);
      write(new byte[] {EOT}, done);
      if (awaitReply(ackTimeout, done) == ACK) {
        return;
      }
    }
    abort();
    throw new YmodemException(
        YmodemException.Reason.TOO_MANY_RETRIES, "end of file (EOT) was not acknowledged", done);
  }

  private void awaitCrcRequest(Duration timeout, long done) throws YmodemException {
    long deadline = clock.millis() + timeout.toMillis();
    while (clock.millis() < deadline) {
      int r = awaitReply(Duration.ofMillis(Math.max(1, deadline - clock.millis())), done);
      if (r == CRC_REQUEST) {
        return;
      }
    }
    abort();
    throw new YmodemException(
        YmodemException.Reason.NO_RECEIVER,
        String.format(
            Locale.ROOT,
            "the receiver on %s did not ask for data ('C') within %d s",
            link.name(),
            timeout.toSeconds()),
        done);
  }

  /** Next ACK, NAK or 'C' (other bytes skipped); -1 on timeout; throws on CAN CAN. */
  private int awaitReply(Duration timeout, long done) throws YmodemException {
    long deadline = clock.millis() + timeout.toMillis();
    boolean lastWasCan = false;
    while (true) {
      checkCancelled(done);
      int b = nextByte((int) Math.min(200, Math.max(0, deadline - clock.millis())), done);
      if (b < 0) {
        if (clock.millis() >= deadline) {
          return -1;
        }
        continue;
      }
      if (b == CAN) {
        if (lastWasCan) {
          throw new YmodemException(
              YmodemException.Reason.RECEIVER_CANCELLED,
              "the receiver cancelled the transfer (CAN CAN) after " + done + " bytes",
              done);
        }
        lastWasCan = true;
        continue;
      }
      lastWasCan = false;
      if (b == ACK || b == NAK || b == CRC_REQUEST) {
        return b;
      }
    }
  }

  private int nextByte(int timeoutMillis, long done) throws YmodemException {
    if (rxPos >= rxLen) {
      try {
        rxLen = link.read(rx, 0, rx.length, timeoutMillis);
      } catch (IOException e) {
        throw new YmodemException(YmodemException.Reason.LINK_FAILED, e.getMessage(), done);
      }
      rxPos = 0;
      if (rxLen <= 0) {
        rxLen = 0;
        return -1;
      }
    }
    return rx[rxPos++] & 0xFF;
  }

  private void write(byte[] b, long done) throws YmodemException {
    try {
      link.write(b);
    } catch (IOException e) {
      throw new YmodemException(YmodemException.Reason.LINK_FAILED, e.getMessage(), done);
    }
  }

  private void checkCancelled(long done) throws YmodemException {
    if (cancel.isCancelled()) {
      abort();
      throw new YmodemException(
          YmodemException.Reason.CANCELLED, "transfer cancelled: " + cancel.reason(), done);
    }
  }

  /** CAN CAN (plus a few more, as lrzsz does, in case some are lost). */
  private void abort() {
    try {
      link.write(new byte[] {CAN, CAN, CAN, CAN, CAN});
    } catch (IOException e) {
      // the link is already gone; nothing more to tell the receiver
    }
  }

  private static int readFully(InputStream in, byte[] b, int len) throws YmodemException {
    int n = 0;
    try {
      while (n < len) {
        int r = in.read(b, n, len - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    } catch (IOException e) {
      throw new YmodemException(
          YmodemException.Reason.SOURCE_FAILED, "reading the image failed: " + e.getMessage(), 0);
    }
    return n;
  }
}
