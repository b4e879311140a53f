package io.burnguard.agent.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Scans a raw device or an image file (the raw bytes, via INSTREAM) for the key-parts service, with
 * progress. Fails closed like the image stage; a detection is alerted and thrown.
 */
public final class MediaScanner {
  /** Progress is reported at most this often (bytes), and once at the end. */
  static final long PROGRESS_STEP = 4L << 20;

  private final ClamdClient clamd;
  private final ScanPolicy policy;
  private final Clock clock;
  private final ScanAlerts alerts;

  /** Receives progress; {@code total} is -1 when the size of a device is unknown. */
  @FunctionalInterface
  public interface Progress {
    void update(long done, long total);
  }

  public MediaScanner(ClamdClient clamd, ScanPolicy policy, Clock clock, ScanAlerts alerts) {
    this.clamd = clamd;
    this.policy = policy;
    this.clock = clock;
    this.alerts = alerts;
  }

  /**
   * Streams all of {@code media} to clamd.
   *
   * @return the clean verdict (with the media's SHA-256)
   * @throws ScanException MALWARE_FOUND with the signature, or why it could not be scanned
   */
  public ScanVerdict scan(Path media, Progress progress) throws ScanException {
    try (FileChannel ch = FileChannel.open(media, StandardOpenOption.READ);
        InputStream in = Channels.newInputStream(ch)) {
      long size = ch.size();
      long total = size > 0 || Files.isRegularFile(media) ? size : -1;
      return stream(in, total, media.toString(), progress);
    } catch (IOException e) {
      throw new ScanException(
          ScanException.Reason.SOURCE_UNREADABLE, "cannot read " + media + ": " + e, null, e);
    }
  }

  /**
   * Streams {@code in} to clamd: one file read out of a part's file system (not mounted), named
   * {@code name} in alerts and messages. A read error of {@code in} is SOURCE_UNREADABLE.
   */
  public ScanVerdict scan(InputStream in, String name) throws ScanException {
    try {
      return stream(in, -1, name, (d, t) -> {});
    } catch (IOException e) {
      throw new ScanException(
          ScanException.Reason.SOURCE_UNREADABLE, "cannot read " + name + ": " + e, null, e);
    }
  }

  private ScanVerdict stream(InputStream in, long total, String name, Progress progress)
      throws ScanException, IOException {
    ClamdVersion v = clamd.version();
    Freshness.check(v, policy, clock, alerts);
    MessageDigest sha256 = ImageScanner.newSha256();
    ClamdResult result;
    try (InstreamSession session = clamd.openInstream()) {
      byte[] buf = new byte[clamd.settings().chunkSize()];
      long done = 0;
      long reported = 0;
      int n;
      while ((n = in.read(buf)) >= 0) {
        sha256.update(buf, 0, n);
        session.write(buf, 0, n);
        done += n;
        if (done - reported >= PROGRESS_STEP) {
          progress.update(done, total);
          reported = done;
        }
      }
      result = session.finish();
      progress.update(done, total);
    }
    String digest = HexFormat.of().formatHex(sha256.digest());
    if (!result.clean()) {
      alerts.malwareFound(digest, result.signature(), name);
      throw ScanException.malware(result.signature(), name + " (sha256 " + digest + ")");
    }
    return ScanVerdict.of(digest, null, v, clock.instant());
  }
}
