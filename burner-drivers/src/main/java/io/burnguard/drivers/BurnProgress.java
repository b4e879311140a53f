package io.burnguard.drivers;

import java.util.Objects;

/**
 * One progress event.
 *
 * @param phase the current phase
 * @param bytes bytes done in this phase (0 for phases that move no data)
 * @param total bytes expected in this phase (0 when unknown)
 * @param bytesPerSecond mean rate since the phase began, 0 when not meaningful
 */
public record BurnProgress(Phase phase, long bytes, long total, double bytesPerSecond) {
  public BurnProgress {
    Objects.requireNonNull(phase, "phase");
    if (bytes < 0 || total < 0 || bytesPerSecond < 0) {
      throw new IllegalArgumentException("progress values must not be negative");
    }
  }
}
