package io.burnguard.drivers;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one burn.
 *
 * <p>The invariant the whole station rests on is enforced here, not in each driver: a PASSED
 * outcome cannot be built without a read-back whose device value equals the image's value.
 *
 * @param status PASSED or FAILED
 * @param phase for FAILED, the phase that failed; for PASSED, {@link Phase#VERIFY}
 * @param reason for FAILED, a sentence an operator can act on; for PASSED, a short summary
 * @param readBack the device's read-back, if the burn got that far
 * @param elapsed wall time of the burn
 */
public record BurnOutcome(
    Status status, Phase phase, String reason, Optional<ReadBack> readBack, Duration elapsed) {

  /** Whether the device now holds the image. */
  public enum Status {
    PASSED,
    FAILED
  }

  public BurnOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(readBack, "readBack");
    Objects.requireNonNull(elapsed, "elapsed");
    if (status == Status.PASSED) {
      if (readBack.isEmpty()) {
        throw new IllegalArgumentException("a PASSED outcome needs the device's read-back");
      }
      if (!readBack.get().matches()) {
        throw new IllegalArgumentException(
            "a PASSED outcome needs a matching read-back; device "
                + readBack.get().actual()
                + ", image "
                + readBack.get().expected());
      }
    }
  }

  public static BurnOutcome passed(ReadBack readBack, Duration elapsed) {
    return new BurnOutcome(
        Status.PASSED,
        Phase.VERIFY,
        "device " + readBack.algorithm() + " " + readBack.actual() + " equals the image's",
        Optional.of(readBack),
        elapsed);
  }

  public static BurnOutcome failed(
      Phase phase, String reason, Optional<ReadBack> readBack, Duration elapsed) {
    return new BurnOutcome(Status.FAILED, phase, reason, readBack, elapsed);
  }

  public boolean isPassed() {
    return status == Status.PASSED;
  }
}
