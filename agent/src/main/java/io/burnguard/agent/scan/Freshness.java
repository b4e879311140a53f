package io.burnguard.agent.scan;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/** The signature freshness rule (issue 4, "Signature freshness"). */
final class Freshness {
  private Freshness() {}

  /** How old clamd's database is now; null when undated. */
  static Duration age(ClamdVersion v, Clock clock) {
    return v.dated() ? Duration.between(v.dbDate(), clock.instant()) : null;
  }

  /** Refuses (and alerts) when the database is older than allowed, or undated and not allowed. */
  static void check(ClamdVersion v, ScanPolicy policy, Clock clock, ScanAlerts alerts)
      throws ScanException {
    if (!v.dated()) {
      if (policy.allowUndated()) {
        return;
      }
      alerts.signaturesUndated(v);
      throw new ScanException(
          ScanException.Reason.SIGNATURES_UNDATED,
          "clamd reports '" + v.raw() + "': no signature database version or date");
    }
    Duration age = age(v, clock);
    if (age.compareTo(policy.maxDatabaseAge()) > 0) {
      alerts.signaturesStale(v, age, policy.maxDatabaseAge());
      throw new ScanException(
          ScanException.Reason.SIGNATURES_STALE,
          String.format(
              Locale.ROOT,
              "clamd's signature database %d of %s is %d hours old; at most %d hours are allowed",
              v.dbVersion(),
              v.dbDate(),
              age.toHours(),
              policy.maxDatabaseAge().toHours()));
    }
  }
}
