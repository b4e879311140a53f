package io.burnguard.agent.daemon;

import io.burnguard.agent.alerts.Severity;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.scan.ClamdVersion;
import io.burnguard.agent.scan.ScanAlerts;
import io.burnguard.config.Durations;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The scanner's alerts, raised in the alert store (and so in the audit chain). */
final class AlertsForScans implements ScanAlerts {
  private static final Logger log = LoggerFactory.getLogger(AlertsForScans.class);

  private final LedgerService ledger;

  AlertsForScans(LedgerService ledger) {
    this.ledger = ledger;
  }

  @Override
  public void malwareFound(String sha256, String signature, String where) {
    raise(
        Severity.CRITICAL,
        "malware",
        "malware "
            + signature
            + " found in "
            + where
            + " (sha256 "
            + sha256
            + "); the image was quarantined and nothing was burned");
  }

  @Override
  public void signaturesStale(ClamdVersion version, Duration age, Duration maxAge) {
    raise(
        Severity.WARNING,
        "signatures-stale",
        "clamd's signatures ("
            + version.raw()
            + ") are "
            + Durations.format(age)
            + " old, more than the "
            + Durations.format(maxAge)
            + " allowed; burning is blocked"
            + " until they are updated");
  }

  @Override
  public void signaturesUndated(ClamdVersion version) {
    raise(
        Severity.WARNING,
        "signatures-undated",
        "clamd reports no signature date ("
            + version.raw()
            + ") and undated databases are not"
            + " allowed; burning is blocked");
  }

  private void raise(Severity s, String kind, String message) {
    log.warn("ALERT {} {}: {}", s, kind, message);
    try {
      ledger.alerts().raise(s, kind, message);
    } catch (DatabaseException e) {
      log.error("cannot store the alert {}: {}", kind, e.getMessage());
    }
  }
}
