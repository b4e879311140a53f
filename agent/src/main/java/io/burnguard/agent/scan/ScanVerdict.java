package io.burnguard.agent.scan;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * clamd's verdict on one image under one signature database.
 *
 * @param imageSha256 the image digest, 64 lower-case hex digits
 * @param signature the matched signature, or null when clean
 * @param clamdVersion the engine part of the signature key: clamd's engine version, e.g. {@code
 *     1.4.6}, followed by {@code +files:} and a digest prefix when the database directory's files
 *     identify the signatures ({@link SignatureKey#engineKey()})
 * @param dbVersion the signature database version, 0 for an undated local database
 * @param dbDate the signature database date, null for an undated local database
 * @param scannedAt when the scan finished
 */
public record ScanVerdict(
    String imageSha256,
    String signature,
    String clamdVersion,
    long dbVersion,
    Instant dbDate,
    Instant scannedAt) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public ScanVerdict {
    if (imageSha256 == null || !SHA256.matcher(imageSha256).matches()) {
      throw new IllegalArgumentException("image digest must be 64 lower-case hex: " + imageSha256);
    }
    if (clamdVersion == null || clamdVersion.isEmpty() || scannedAt == null) {
      throw new IllegalArgumentException("a verdict names the clamd version and the scan time");
    }
    if (dbVersion < 0 || (dbVersion == 0) != (dbDate == null)) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "database version %d and date %s must come together",
              dbVersion,
              dbDate));
    }
  }

  static ScanVerdict of(String sha256, String signature, ClamdVersion v, Instant at) {
    return of(sha256, signature, new SignatureKey(v, null), at);
  }

  static ScanVerdict of(String sha256, String signature, SignatureKey key, Instant at) {
    ClamdVersion v = key.clamd();
    return new ScanVerdict(sha256, signature, key.engineKey(), v.dbVersion(), v.dbDate(), at);
  }

  /** True when no signature matched. */
  public boolean clean() {
    return signature == null;
  }

  /** What was found, typed: {@link ScanFinding.Clean} or {@link ScanFinding.Infected}. */
  public ScanFinding finding() {
    return ScanFinding.ofSignature(signature);
  }

  /**
   * The engine and signature database the verdict was made with, as the ledger records them: {@code
   * 1.4.6/27400}.
   */
  public String engineAndDatabase() {
    return clamdVersion + "/" + dbVersion;
  }

  /** True when this verdict was made by exactly the engine and dated database clamd has now. */
  public boolean validFor(ClamdVersion now) {
    return now.dated() && dbVersion == now.dbVersion() && clamdVersion.equals(now.engine());
  }
}
