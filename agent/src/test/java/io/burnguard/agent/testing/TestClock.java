package io.burnguard.agent.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A UTC clock the test moves by hand (Caffeine's fake ticker, for {@link Clock}): the code under
 * test sees time pass only when the test calls {@link #advance}. Safe to read from other threads.
 */
public final class TestClock extends Clock {
  private volatile Instant now;

  /** A clock standing at {@code start}. */
  public TestClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** Moves the clock forward by {@code d} (not backward: a negative {@code d} is refused). */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a test clock moves forward only; got " + d);
    }
    now = now.plus(d);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
