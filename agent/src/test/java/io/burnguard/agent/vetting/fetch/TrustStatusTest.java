package io.burnguard.agent.vetting.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Issue 12, finding 1: when the refresher alerts and doctor fails. */
class TrustStatusTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final TrustStatus.Failure DOWN = new TrustStatus.Failure("TIMEOUT", true);

  private static TrustStatus status(
      Duration interval, Optional<TrustStatus.Failure> error, Instant crl, Instant withdrawals) {
    return new TrustStatus(
        interval,
        Optional.of(NOW),
        Optional.empty(),
        error,
        NOW.plus(interval),
        Optional.of(NOW.minusSeconds(60)),
        Optional.ofNullable(crl),
        withdrawals == null ? OptionalLong.empty() : OptionalLong.of(7),
        Optional.ofNullable(withdrawals));
  }

  @Test
  void healthFollowsTheEarliestExpiryAndTheLastRefresh() {
    Duration fiveMin = Duration.ofMinutes(5);
    Instant week = NOW.plus(Duration.ofDays(7));
    assertEquals(TrustStatus.Health.OK, status(fiveMin, Optional.empty(), week, week).health(NOW));
    assertEquals(
        TrustStatus.Health.REFRESH_FAILING,
        status(fiveMin, Optional.of(DOWN), week, week).health(NOW));
    // The withdrawal list expires in 23 h, inside the 24 h window: near expiry.
    assertEquals(
        TrustStatus.Health.NEAR_EXPIRY,
        status(fiveMin, Optional.of(DOWN), week, NOW.plus(Duration.ofHours(23))).health(NOW));
    assertEquals(
        TrustStatus.Health.EXPIRED,
        status(fiveMin, Optional.empty(), NOW.minusSeconds(1), week).health(NOW));
    assertEquals(
        TrustStatus.Health.EXPIRED, status(fiveMin, Optional.empty(), week, null).health(NOW));
  }

  @Test
  void theWarningWindowIsTwoIntervalsWhenThatIsLongerThanADay() {
    assertEquals(
        Duration.ofHours(24),
        status(Duration.ofMinutes(5), Optional.empty(), null, null).warningWindow());
    assertEquals(
        Duration.ofHours(36),
        status(Duration.ofHours(18), Optional.empty(), null, null).warningWindow());
  }
}
