package io.burnguard.agent.scan;

import java.time.Duration;

/**
 * Where the scanning stage raises alerts; the daemon wires it to the alert store. Calls must not
 * throw: an alert that cannot be stored is the alert store's problem to report, and the scan's
 * refusal stands either way.
 */
public interface ScanAlerts {
  /** Severity 1: an image or medium matched a signature. */
  void malwareFound(String sha256, String signature, String where);

  /** clamd's signatures are older than the policy allows; burns are refused until updated. */
  void signaturesStale(ClamdVersion version, Duration age, Duration maxAge);

  /** clamd reports no database date and the policy does not allow undated databases. */
  void signaturesUndated(ClamdVersion version);

  /** Alerts that go nowhere (tests, tools). */
  static ScanAlerts none() {
    return new ScanAlerts() {
      @Override
      public void malwareFound(String sha256, String signature, String where) {}

      @Override
      public void signaturesStale(ClamdVersion version, Duration age, Duration maxAge) {}

      @Override
      public void signaturesUndated(ClamdVersion version) {}
    };
  }
}
