package io.burnguard.agent.scan;

import java.time.Duration;

/**
 * Signature freshness rules (station.yaml {@code scan:}).
 *
 * @param maxDatabaseAge the oldest clamd database a burn accepts
 * @param allowUndated whether a clamd with only local, undated databases is accepted; its verdicts
 *     are then never reused, since a database change cannot be seen
 */
public record ScanPolicy(Duration maxDatabaseAge, boolean allowUndated) {

  /** Default maximum database age: freshclam updates daily; a week covers a long weekend. */
  public static final Duration DEFAULT_MAX_DATABASE_AGE = Duration.ofDays(7);

  public ScanPolicy {
    if (maxDatabaseAge == null || maxDatabaseAge.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException(
          "scan.maxDatabaseAge must be at least 1 hour, found " + maxDatabaseAge);
    }
  }

  /** The defaults: 7 days, undated databases refused. */
  public static ScanPolicy defaults() {
    return new ScanPolicy(DEFAULT_MAX_DATABASE_AGE, false);
  }
}
