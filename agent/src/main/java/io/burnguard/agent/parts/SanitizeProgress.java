package io.burnguard.agent.parts;

import java.time.Duration;

/**
 * Where a sanitize is: the phase, bytes done of the phase's total, the speed over the phase so far,
 * and the estimated time left in the phase (null until there is a speed).
 */
public record SanitizeProgress(
    Phase phase, long done, long total, double bytesPerSecond, Duration eta) {
  /** The phases in order. */
  public enum Phase {
    PURGE,
    OVERWRITE,
    VERIFY,
    FORMAT
  }

  /** Receives progress on the sanitizing thread; must be quick and must not throw. */
  @FunctionalInterface
  public interface Listener {
    void update(SanitizeProgress p);

    /** A listener that drops everything. */
    static Listener none() {
      return p -> {};
    }
  }

  static SanitizeProgress of(Phase phase, long done, long total, long startNanos, long nowNanos) {
    double secs = (nowNanos - startNanos) / 1e9;
    double speed = secs > 0 ? done / secs : 0;
    Duration eta = speed > 0 ? Duration.ofMillis((long) ((total - done) / speed * 1000)) : null;
    return new SanitizeProgress(phase, done, total, speed, eta);
  }
}
