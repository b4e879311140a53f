package io.burnguard.agent.daemon;

import io.burnguard.agent.alerts.Severity;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.doctor.Check;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.vetting.fetch.TrustRefresher;
import io.burnguard.agent.vetting.fetch.TrustStatus;
import io.burnguard.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust refresher's doctor line and alerts (issue 12, finding 1): the age and next update of
 * the stored CRLs and withdrawal list, the last and next refresh and its last error. FAIL (exit 5)
 * when something is missing or expired, since every burn is then refused; WARN while refreshes
 * fail.
 */
final class RefreshCheck {
  private static final Logger log = LoggerFactory.getLogger(RefreshCheck.class);

  private RefreshCheck() {}

  /** Raises the refresher's alerts in the alert store (and so in the audit chain). */
  static TrustRefresher.Alerts alerts(LedgerService ledger) {
    return (critical, kind, message) -> {
      Severity s = critical ? Severity.CRITICAL : Severity.WARNING;
      log.warn("ALERT {} {}: {}", s, kind, message);
      try {
        ledger.alerts().raise(s, kind, message);
      } catch (DatabaseException e) {
        log.error("cannot store the alert {}: {}", kind, e.getMessage());
      }
    };
  }

  /**
   * The doctor line for {@code s} at {@code now}; missing or expired material fails only a station
   * with fixtures ({@code burns}), since only burns are refused for it.
   */
  static Check check(TrustStatus s, Instant now, boolean burns) {
    String detail =
        "CRLs issued "
            + age(s.crlsIssued(), now)
            + ", next update "
            + at(s.crlsNextUpdate())
            + "; withdrawal list "
            + (s.withdrawalsSequence().isPresent() ? s.withdrawalsSequence().getAsLong() : "none")
            + " expires "
            + at(s.withdrawalsExpire())
            + "; last refresh "
            + age(s.lastAttempt(), now)
            + (s.lastError().isPresent() ? " FAILED: " + s.lastError().get().message() : " ok")
            + "; next refresh "
            + s.nextAttempt();
    String fix =
        "check that the station reaches server.url and that the server publishes current"
            + " trust.serverCrls under crl/ and withdrawals.json; the daemon retries every "
            + Durations.format(s.interval());
    return switch (s.health(now)) {
      case OK -> Check.ok("refresh", detail);
      case REFRESH_FAILING, NEAR_EXPIRY -> Check.warn("refresh", detail, fix);
      case EXPIRED ->
          burns
              ? Check.fail("refresh", detail + " (burns are refused)", fix, ExitCode.UNAVAILABLE)
              : Check.warn("refresh", detail + " (no fixture: nothing to burn)", fix);
    };
  }

  private static String age(Optional<Instant> t, Instant now) {
    return t.map(i -> Durations.format(Duration.between(i, now).withNanos(0)) + " ago")
        .orElse("never");
  }

  private static String at(Optional<Instant> t) {
    return t.map(Instant::toString).orElse("(missing)");
  }
}
