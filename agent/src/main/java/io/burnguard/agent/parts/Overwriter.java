package io.burnguard.agent.parts;

import com.sun.nio.file.ExtendedOpenOption;
import io.burnguard.agent.parts.SanitizeException.Reason;
import io.burnguard.agent.parts.SanitizeProgress.Phase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.BitSet;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clear (NIST SP 800-88: overwrite every user-addressable location) and its read-back.
 *
 * <p>Design: one aligned direct buffer of the chunk size is allocated per run, so memory stays flat
 * whatever the device size (the benchmark runs under {@code -Xmx64m}). Writes and reads use
 * O_DIRECT where the device or file system allows it: the read-back then comes from the medium, not
 * from the page cache, and the page cache is not flooded. A file system that refuses O_DIRECT
 * (tmpfs) gets buffered I/O followed by {@code fsync}. The pattern is binary zeros, the single pass
 * NIST names for Clear; the same zeros make the Purge read-back check meaningful. A tail that is
 * not a multiple of 4096 bytes (odd-sized images) is written without O_DIRECT. Interruption is
 * checked between chunks, and an interrupt during a write closes the channel: either way the run
 * ends with {@link Reason#INTERRUPTED} and no certificate.
 */
final class Overwriter {
  private static final Logger log = LoggerFactory.getLogger(Overwriter.class);

  /** Picks the sampled chunks; unpredictable, so a device cannot know which ones are read. */
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path device;
  private final long size;
  private final int chunk;
  private final SanitizeProgress.Listener listener;
  private final ByteBuffer zeros;
  private final ByteBuffer read;
  private boolean direct = true;

  Overwriter(Path device, long size, int chunk, SanitizeProgress.Listener listener) {
    this.device = device;
    this.size = size;
    this.chunk = chunk;
    this.listener = listener;
    this.zeros =
        ByteBuffer.allocateDirect(chunk + SanitizeOptions.ALIGN)
            .alignedSlice(SanitizeOptions.ALIGN);
    this.read =
        ByteBuffer.allocateDirect(chunk + SanitizeOptions.ALIGN)
            .alignedSlice(SanitizeOptions.ALIGN);
  }

  /** Overwrites every byte with zeros and forces it to the medium. */
  void clear() throws SanitizeException {
    long aligned = size - size % SanitizeOptions.ALIGN;
    long start = System.nanoTime();
    try (FileChannel ch = open(StandardOpenOption.WRITE)) {
      for (long pos = 0; pos < aligned; ) {
        checkInterrupted(pos);
        zeros.clear().limit((int) Math.min(chunk, aligned - pos));
        while (zeros.hasRemaining()) {
          pos += ch.write(zeros, pos);
        }
        listener.update(SanitizeProgress.of(Phase.OVERWRITE, pos, size, start, System.nanoTime()));
      }
      ch.force(true);
      writeTail(aligned);
      listener.update(SanitizeProgress.of(Phase.OVERWRITE, size, size, start, System.nanoTime()));
    } catch (ClosedByInterruptException e) {
      throw interrupted("during the overwrite", e);
    } catch (IOException e) {
      throw new SanitizeException(Reason.WRITE_FAILED, "writing " + device + " failed: " + e, e);
    }
  }

  private void writeTail(long aligned) throws IOException {
    if (aligned == size) {
      return;
    }
    try (FileChannel ch = FileChannel.open(device, StandardOpenOption.WRITE)) {
      ByteBuffer tail = ByteBuffer.allocate((int) (size - aligned));
      while (tail.hasRemaining()) {
        ch.write(tail, aligned + tail.position());
      }
      ch.force(true);
    }
  }

  /**
   * Reads back what {@code v} asks for and compares it with zeros.
   *
   * @return the number of bytes read back
   */
  long verify(Verification v) throws SanitizeException {
    long chunks = (size + chunk - 1) / chunk;
    BitSet pick = v.mode() == Verification.Mode.FULL ? null : sample(chunks, v.percent());
    long total = pick == null ? size : Math.min(size, (long) pick.cardinality() * chunk);
    long start = System.nanoTime();
    long verified = 0;
    try (FileChannel ch = open(StandardOpenOption.READ)) {
      for (long i = 0; i < chunks; i++) {
        if (pick != null && !pick.get((int) i)) {
          continue;
        }
        long pos = i * chunk;
        checkInterrupted(pos);
        verified += compare(ch, pos, (int) Math.min(chunk, size - pos));
        listener.update(
            SanitizeProgress.of(Phase.VERIFY, verified, total, start, System.nanoTime()));
      }
    } catch (ClosedByInterruptException e) {
      throw interrupted("during the read-back", e);
    } catch (IOException e) {
      throw new SanitizeException(
          Reason.VERIFY_FAILED, "reading " + device + " back failed: " + e, e);
    }
    return verified;
  }

  private long compare(FileChannel ch, long pos, int len) throws IOException, SanitizeException {
    boolean aligned = len % SanitizeOptions.ALIGN == 0;
    ByteBuffer buf = aligned ? read : ByteBuffer.allocate(len);
    buf.clear().limit(len);
    FileChannel src = aligned ? ch : FileChannel.open(device, StandardOpenOption.READ);
    try {
      while (buf.hasRemaining()) {
        if (src.read(buf, pos + buf.position()) < 0) {
          throw new SanitizeException(
              Reason.VERIFY_FAILED,
              String.format(
                  Locale.ROOT,
                  "%s ends at %d, expected %d bytes",
                  device,
                  pos + buf.position(),
                  size),
              null);
        }
      }
    } finally {
      if (src != ch) {
        src.close();
      }
    }
    buf.flip();
    zeros.clear().limit(len);
    int at = buf.mismatch(zeros);
    if (at >= 0) {
      throw new SanitizeException(
          Reason.VERIFY_FAILED,
          String.format(
              Locale.ROOT,
              "%s holds 0x%02x at byte %d after the overwrite, expected 0x00",
              device,
              buf.get(at) & 0xff,
              pos + at),
          null);
    }
    return len;
  }

  /** Whether every open used O_DIRECT. */
  boolean directIo() {
    return direct;
  }

  /** First and last chunk plus random others until {@code percent} of all are picked. */
  static BitSet sample(long chunks, int percent) {
    if (chunks > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many chunks to sample: " + chunks);
    }
    int n = (int) chunks;
    BitSet pick = new BitSet(n);
    pick.set(0);
    pick.set(n - 1);
    int want = (int) Math.min(n, Math.max(2, (long) Math.ceil(n * percent / 100.0)));
    while (pick.cardinality() < want) {
      pick.set(RANDOM.nextInt(n));
    }
    return pick;
  }

  private FileChannel open(OpenOption mode) throws IOException {
    try {
      return FileChannel.open(device, mode, ExtendedOpenOption.DIRECT);
    } catch (IOException | UnsupportedOperationException e) {
      log.info("{}: O_DIRECT refused ({}); using buffered I/O with fsync", device, e.toString());
      direct = false;
      return FileChannel.open(device, mode);
    }
  }

  private void checkInterrupted(long pos) throws SanitizeException {
    if (Thread.interrupted()) {
      Thread.currentThread().interrupt();
      throw interrupted("at byte " + pos + " of " + size, null);
    }
  }

  private SanitizeException interrupted(String where, Throwable cause) {
    return new SanitizeException(
        Reason.INTERRUPTED, "sanitizing " + device + " was interrupted " + where, cause);
  }
}
