package io.burnguard.agent.scan;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Signature freshness rules (station.yaml {@code scan:}).
 *
 * @param maxDatabaseAge the oldest clamd database a burn accepts
 * @param allowUndated whether a clamd with only local, undated databases is accepted
 * @param databaseDir clamd's DatabaseDirectory (station.yaml {@code scanner.databaseDir}), or null;
 *     when given, verdicts are keyed on its files too ({@link SignatureKey}), so an undated
 *     database is rescanned only when it changed; without it an undated database's verdicts are
 *     never reused
 */
public record ScanPolicy(Duration maxDatabaseAge, boolean allowUndated, Path databaseDir) {

  /** Default maximum database age: freshclam updates daily; a week covers a long weekend. */
  public static final Duration DEFAULT_MAX_DATABASE_AGE = Duration.ofDays(7);

  public ScanPolicy {
    if (maxDatabaseAge == null || maxDatabaseAge.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException(
          "scan.maxDatabaseAge must be at least 1 hour, found " + maxDatabaseAge);
    }
    if (databaseDir != null && !databaseDir.isAbsolute()) {
      throw new IllegalArgumentException(
          "scanner.databaseDir must be an absolute path, found " + databaseDir);
    }
  }

  /** A policy without a known database directory. */
  public ScanPolicy(Duration maxDatabaseAge, boolean allowUndated) {
    this(maxDatabaseAge, allowUndated, null);
  }

  /** The defaults: 7 days, undated databases refused, database directory unknown. */
  public static ScanPolicy defaults() {
    return new ScanPolicy(DEFAULT_MAX_DATABASE_AGE, false, null);
  }
}
