package io.burnguard.agent.vetting.fetch;

import io.burnguard.agent.scan.ImageScan;
import io.burnguard.agent.scan.ScanException;
import io.burnguard.agent.scan.ScanVerdict;
import io.burnguard.agent.vetting.Manifest;
import io.burnguard.agent.vetting.Reason;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Lets the cache encrypt a downloaded image while clamd is still scanning it, without ever
 * publishing an image that has no clean verdict.
 *
 * <p>Design. clamd matches an INSTREAM only after its last chunk (it spools the stream to a temp
 * file first), so after the download there is a wait for the verdict that nothing in the download
 * pass can hide. {@link io.burnguard.agent.vetting.cache.ImageCache#store} reads its source to the
 * end, checks length and digest, and only then moves the encrypted file into the cache. This stream
 * holds back that end: the read that would return end-of-stream first waits for clamd's verdict
 * (taken on its own thread) and returns it only when the verdict is clean and covers exactly the
 * manifest's digest. Anything else fails the read, the store deletes its temporary file, and
 * nothing reaches the cache. The verdict wait is bounded by the clamd client's timeouts.
 */
final class VerdictGate extends FilterInputStream {
  private final FutureTask<ScanVerdict> verdict;
  private final Manifest manifest;

  /**
   * The verdict was not clean ({@link ScanException} cause) or covers other bytes than the
   * manifest's ({@link ReleaseRejectedException} cause).
   */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(Exception cause) {
      super(cause.getMessage(), cause);
    }
  }

  private VerdictGate(InputStream in, FutureTask<ScanVerdict> verdict, Manifest manifest) {
    super(in);
    this.verdict = verdict;
    this.manifest = manifest;
  }

  /**
   * Starts taking the verdict of {@code scan} (whose stream is complete) on its own thread and
   * returns {@code in} gated on it.
   */
  static VerdictGate start(ImageScan scan, InputStream in, Manifest manifest) {
    FutureTask<ScanVerdict> task = new FutureTask<>(() -> scan.finish(null));
    Thread t = new Thread(task, "clamd-verdict " + manifest.name() + " " + manifest.version());
    t.setDaemon(true);
    t.start();
    return new VerdictGate(in, task, manifest);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n < 0) {
      requireClean();
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("the image being cached cannot be skipped");
  }

  private void requireClean() throws IOException {
    ScanVerdict v;
    try {
      v = await();
    } catch (ScanException e) {
      throw new Refused(e);
    }
    if (!v.imageSha256().equals(manifest.sha256())) {
      throw new Refused(
          new ReleaseRejectedException(
              Reason.IMAGE_DIGEST_MISMATCH,
              String.format(
                  Locale.ROOT,
                  "the downloaded image has SHA-256 %s; manifest %s %s says %s",
                  v.imageSha256(),
                  manifest.name(),
                  manifest.version(),
                  manifest.sha256())));
    }
  }

  /**
   * Waits for the verdict.
   *
   * @return the clean verdict
   * @throws ScanException when clamd found something or could not scan
   */
  ScanVerdict await() throws ScanException, InterruptedIOException {
    try {
      return verdict.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ScanException) {
        throw (ScanException) e.getCause();
      }
      throw new IllegalStateException("taking clamd's verdict failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for clamd's verdict");
    }
  }
}
