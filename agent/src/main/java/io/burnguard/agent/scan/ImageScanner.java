package io.burnguard.agent.scan;

import io.burnguard.agent.db.Database;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scanning stage of vetting and burning (issue 4).
 *
 * <p>Design:
 *
 * <ul>
 *   <li><b>Fail closed.</b> Only clamd's {@code OK} for the complete stream of exactly the expected
 *       bytes, under a fresh database, yields a verdict a burn may use. Every other outcome is a
 *       {@link ScanException} and nothing is burned.
 *   <li><b>Once per image and database.</b> Verdicts are stored with the image digest and the
 *       {@link SignatureKey}: the clamd engine, database version and, when the station names
 *       clamd's database directory, the digest of its files. A burn reuses the verdict while the
 *       key is unchanged and rescans when any part changed. The key is taken <em>before</em> a
 *       scan: a reload during the scan then makes the verdict look older than it is (a harmless
 *       rescan), never newer. An undated local database without a known directory changes
 *       invisibly, so its verdicts are never reused.
 *   <li><b>Detections.</b> A match is recorded, alerted (severity 1, with the signature name) and
 *       the image quarantined; quarantine failing does not weaken the refusal.
 * </ul>
 */
public final class ImageScanner {
  private static final Logger log = LoggerFactory.getLogger(ImageScanner.class);

  private final ClamdClient clamd;
  private final VerdictStore verdicts;
  private final ScanPolicy policy;
  private final Clock clock;
  private final ScanAlerts alerts;
  private final Quarantine quarantine;

  /** Opens the image source again for a rescan (the cache's verified, locked copy). */
  @FunctionalInterface
  public interface ImageSource {
    InputStream open() throws IOException;
  }

  /** A scanner recording verdicts in {@code db}. */
  public ImageScanner(
      ClamdClient clamd,
      Database db,
      ScanPolicy policy,
      Clock clock,
      ScanAlerts alerts,
      Quarantine quarantine) {
    this.clamd = clamd;
    this.verdicts = new VerdictStore(db);
    this.policy = policy;
    this.clock = clock;
    this.alerts = alerts;
    this.quarantine = quarantine;
  }

  /**
   * Checks that clamd answers and its signatures are fresh enough to scan with.
   *
   * @return clamd's version and database
   */
  public ClamdVersion checkSignatures() throws ScanException {
    ClamdVersion v = clamd.version();
    Freshness.check(v, policy, clock, alerts);
    return v;
  }

  /**
   * Starts scanning an image that is about to be read once (a download); wrap the source with
   * {@link ImageScan#tee(InputStream)} and call {@link ImageScan#finish(String)} at its end.
   *
   * @param where what the image is, for messages and alerts (e.g. "release ipc-x1-main 5.4.1")
   */
  public ImageScan begin(String where) throws ScanException {
    SignatureKey key = signatureKey();
    return new ImageScan(this, key, clamd.openInstream(), where);
  }

  /** {@link #checkSignatures()}, then what identifies the signatures clamd scans with now. */
  private SignatureKey signatureKey() throws ScanException {
    ClamdVersion v = checkSignatures();
    return new SignatureKey(
        v, SignatureFiles.digest(policy.databaseDir(), clock.instant()).orElse(null));
  }

  /** Scans and hashes all of {@code in} in one pass. */
  public ScanVerdict scan(InputStream in, String expectedSha256, String where)
      throws ScanException {
    try (ImageScan scan = begin(where);
        InputStream tee = scan.tee(in)) {
      byte[] buf = new byte[clamd.settings().chunkSize()];
      while (tee.read(buf) >= 0) {
        // every byte read went to the digest and to clamd
      }
      return scan.finish(expectedSha256);
    } catch (ImageScan.ScanIOException e) {
      throw e.scanFailure();
    } catch (IOException e) {
      throw new ScanException(
          ScanException.Reason.SOURCE_UNREADABLE, where + " could not be read: " + e, null, e);
    }
  }

  /**
   * The verdict a burn needs: the stored one if it was made under clamd's current engine and
   * database, else a fresh scan of {@code source}, which must have digest {@code sha256}.
   */
  public ScanVerdict requireClean(String sha256, ImageSource source, String where)
      throws ScanException {
    SignatureKey now = signatureKey();
    Optional<ScanVerdict> known = verdicts.find(sha256, now);
    if (known.isPresent()) {
      ScanVerdict v = known.get();
      if (!v.clean()) {
        throw detected(sha256, v.signature(), where);
      }
      log.debug(
          "{}: reusing clean verdict of {} (clamd {}/{})",
          where,
          v.scannedAt(),
          v.clamdVersion(),
          v.dbVersion());
      return v;
    }
    log.info(
        "{}: no verdict under clamd {} database {}; rescanning",
        where,
        now.engineKey(),
        now.clamd().dbVersion());
    try (InputStream in = source.open()) {
      return scan(in, sha256, where);
    } catch (IOException e) {
      throw new ScanException(
          ScanException.Reason.SOURCE_UNREADABLE, where + " could not be opened: " + e, null, e);
    }
  }

  /** The newest recorded verdict for an image, under any database (trace, doctor). */
  public Optional<ScanVerdict> latestVerdict(String sha256) throws ScanException {
    return verdicts.latest(sha256);
  }

  /** clamd's version, database version and age, for {@code burnguard doctor}. Never throws. */
  public ScannerStatus status() {
    return status(clamd, policy, clock);
  }

  /** As {@link #status()}, without a database (doctor may run without the daemon). */
  public static ScannerStatus status(ClamdClient clamd, ScanPolicy policy, Clock clock) {
    ClamdVersion v;
    try {
      v = clamd.version();
    } catch (ScanException e) {
      return new ScannerStatus(clamd.settings().address(), null, null, false, e.getMessage());
    }
    try {
      Freshness.check(v, policy, clock, ScanAlerts.none());
      return new ScannerStatus(clamd.settings().address(), v, Freshness.age(v, clock), true, null);
    } catch (ScanException e) {
      return new ScannerStatus(
          clamd.settings().address(), v, Freshness.age(v, clock), false, e.getMessage());
    }
  }

  /** Records clamd's verdict on a complete, digest-checked stream; refuses a detection. */
  ScanVerdict conclude(String sha256, ClamdResult result, SignatureKey key, String where)
      throws ScanException {
    ScanVerdict verdict = ScanVerdict.of(sha256, result.signature(), key, clock.instant());
    try {
      verdicts.record(verdict);
    } catch (ScanException e) {
      if (verdict.clean()) {
        throw e;
      }
      log.error("{}: could not record detection {}: {}", where, result.signature(), e.getMessage());
    }
    if (!verdict.clean()) {
      throw detected(sha256, verdict.signature(), where);
    }
    return verdict;
  }

  private ScanException detected(String sha256, String signature, String where) {
    log.error("{} (sha256 {}) matched {}: quarantining", where, sha256, signature);
    alerts.malwareFound(sha256, signature, where);
    try {
      quarantine.quarantine(sha256, signature);
    } catch (IOException e) {
      log.error("quarantine of {} failed: {}", sha256, e.getMessage());
    }
    return ScanException.malware(signature, where + " (sha256 " + sha256 + ")");
  }

  int chunkSize() {
    return clamd.settings().chunkSize();
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
