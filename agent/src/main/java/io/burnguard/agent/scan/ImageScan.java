package io.burnguard.agent.scan;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One image being scanned as it is read (issue 4, "Scanning stage"). The stream from {@link
 * #tee(InputStream)} hands every byte the caller reads to SHA-256 and to clamd's INSTREAM in the
 * same pass, so download, hashing and scanning overlap instead of running one after another. Then
 * {@link #finish(String)} takes clamd's verdict, records it and fails closed.
 */
public final class ImageScan implements AutoCloseable {
  /** Chunks buffered between the reader and clamd (16 x 256 KiB = 4 MiB by default). */
  static final int PUMP_DEPTH = 16;

  private final ImageScanner scanner;
  private final SignatureKey key;
  private final StreamPump pump;
  private final String where;
  private final MessageDigest sha256 = ImageScanner.newSha256();
  private ScanException failure;
  private boolean teed;
  private boolean pushed;

  /** The tee failed because the scan failed; {@link #scanFailure()} has the reason. */
  public static final class ScanIOException extends IOException {
    private static final long serialVersionUID = 1L;

    ScanIOException(ScanException cause) {
      super(cause.getMessage(), cause);
    }

    /** The scan failure. */
    public ScanException scanFailure() {
      return (ScanException) getCause();
    }
  }

  ImageScan(ImageScanner scanner, SignatureKey key, InstreamSession session, String where) {
    this.scanner = scanner;
    this.key = key;
    this.pump = new StreamPump(session, scanner.chunkSize(), PUMP_DEPTH);
    this.where = where;
  }

  /** The clamd version (and database) this scan runs under. */
  public ClamdVersion clamdVersion() {
    return key.clamd();
  }

  /**
   * Wraps the image source. Reading from the result feeds digest and clamd; a clamd failure
   * surfaces as {@link ScanIOException} at once, so a dead scanner stops the download too.
   */
  public InputStream tee(InputStream source) {
    if (teed || pushed) {
      throw new IllegalStateException("an image scan reads its source once");
    }
    teed = true;
    return new FilterInputStream(source) {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          feed(b, off, n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        throw new IOException("an image being scanned cannot be skipped: every byte is scanned");
      }

      @Override
      public boolean markSupported() {
        return false;
      }
    };
  }

  /**
   * Feeds bytes that a writer pushes (a download's tee) to digest and clamd, as the stream from
   * {@link #tee(InputStream)} does for a reader; use one or the other. The bytes must arrive in
   * order from the image's first byte. A clamd failure surfaces as {@link ScanIOException} at once.
   */
  public void update(byte[] b, int off, int len) throws ScanIOException {
    if (teed) {
      throw new IllegalStateException("this image scan already reads from a tee'd stream");
    }
    pushed = true;
    if (len > 0) {
      feed(b, off, len);
    }
  }

  private void feed(byte[] b, int off, int n) throws ScanIOException {
    if (failure != null) {
      throw new ScanIOException(failure);
    }
    sha256.update(b, off, n);
    try {
      pump.write(b, off, n);
    } catch (ScanException e) {
      failure = e;
      throw new ScanIOException(e);
    }
  }

  /**
   * Ends the stream, takes clamd's verdict and records it. The caller must have read the source to
   * its end.
   *
   * @param expectedSha256 the digest the image must have (from its signed manifest), or null
   * @return the clean verdict
   * @throws ScanException when not clean, not scanned, or not the expected bytes
   */
  public ScanVerdict finish(String expectedSha256) throws ScanException {
    if (failure != null) {
      throw failure;
    }
    ClamdResult result;
    try {
      result = pump.finish();
    } catch (ScanException e) {
      failure = e;
      throw e;
    }
    String digest = HexFormat.of().formatHex(sha256.digest());
    if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(digest)) {
      throw new ScanException(
          ScanException.Reason.HASH_MISMATCH,
          String.format(
              Locale.ROOT,
              "%s: the %d bytes scanned have SHA-256 %s, expected %s",
              where,
              result.bytes(),
              digest,
              expectedSha256.toLowerCase(Locale.ROOT)));
    }
    return scanner.conclude(digest, result, key, where);
  }

  /** Abandons the scan if it has not finished. */
  @Override
  public void close() {
    pump.close();
  }
}
