package io.burnguard.agent.vetting.fetch;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the station's refreshed trust material looks like now, for {@code doctor} and for the
 * refresher's own alerts (issue 12, finding 1).
 *
 * @param interval the configured refresh interval
 * @param lastAttempt when the last refresh ran, empty before the first
 * @param lastSuccess when a refresh last stored everything it fetched, empty if never
 * @param lastError what went wrong in the last refresh, empty when it succeeded
 * @param nextAttempt when the next scheduled refresh runs
 * @param crlsIssued the oldest {@code thisUpdate} among the stored server CRLs (their age)
 * @param crlsNextUpdate the earliest {@code nextUpdate} among them; empty when one is missing
 * @param withdrawalsSequence the stored withdrawal list's sequence, empty when none is stored
 * @param withdrawalsExpire when the stored withdrawal list expires, empty when none is stored
 */
public record TrustStatus(
    Duration interval,
    Optional<Instant> lastAttempt,
    Optional<Instant> lastSuccess,
    Optional<Failure> lastError,
    Instant nextAttempt,
    Optional<Instant> crlsIssued,
    Optional<Instant> crlsNextUpdate,
    OptionalLong withdrawalsSequence,
    Optional<Instant> withdrawalsExpire) {

  /**
   * Why a refresh failed.
   *
   * @param unavailable true when the server could not be used (timeout, unreachable, HTTP status),
   *     false when what it served was refused (signature, rollback, expired) or storing failed
   */
  public record Failure(String message, boolean unavailable) {}

  /** How close the stored material is to blocking burns. */
  public enum Health {
    /** Everything stored is current and the last refresh succeeded. */
    OK,
    /** The last refresh failed, but what is stored stays current for longer than the window. */
    REFRESH_FAILING,
    /** The last refresh failed and what is stored expires within the warning window. */
    NEAR_EXPIRY,
    /** A CRL or the withdrawal list is missing or expired: burns are refused. */
    EXPIRED
  }

  /**
   * The warning window: 24 hours, or two refresh intervals when that is longer, so at least two
   * more refreshes can be tried after the alert (docs/decisions.md, "Trust refresh").
   */
  public Duration warningWindow() {
    Duration two = interval.multipliedBy(2);
    return two.compareTo(Duration.ofHours(24)) > 0 ? two : Duration.ofHours(24);
  }

  /** The first instant at which something stored expires; empty when something is missing. */
  public Optional<Instant> expires() {
    if (crlsNextUpdate.isEmpty() || withdrawalsExpire.isEmpty()) {
      return Optional.empty();
    }
    Instant a = crlsNextUpdate.get();
    Instant b = withdrawalsExpire.get();
    return Optional.of(a.isBefore(b) ? a : b);
  }

  /** The health at {@code now}. */
  public Health health(Instant now) {
    Optional<Instant> exp = expires();
    if (exp.isEmpty() || !exp.get().isAfter(now)) {
      return Health.EXPIRED;
    }
    if (lastError.isEmpty()) {
      return Health.OK;
    }
    return Duration.between(now, exp.get()).compareTo(warningWindow()) < 0
        ? Health.NEAR_EXPIRY
        : Health.REFRESH_FAILING;
  }
}
