package io.burnguard.agent.ledger;

import java.util.Objects;

/**
 * How a burn ended.
 *
 * @param outcome PASSED, FAILED or CANCELLED
 * @param failureReason why it did not pass; required unless PASSED
 * @param readbackDigest digest the device computed over what it holds, or null if not reached
 * @param readbackMatch whether it matched the image's digest, or null if not reached
 */
public record BurnResult(
    Outcome outcome, String failureReason, String readbackDigest, Boolean readbackMatch) {
  public BurnResult {
    Objects.requireNonNull(outcome, "outcome");
    if (outcome == Outcome.STARTED || outcome == Outcome.INTERRUPTED) {
      throw new IllegalArgumentException("a burn ends PASSED, FAILED or CANCELLED, not " + outcome);
    }
    // docs/architecture.md burn pipeline: PASSED only after a matching read-back.
    if (outcome == Outcome.PASSED
        && (readbackDigest == null || !Boolean.TRUE.equals(readbackMatch))) {
      throw new IllegalArgumentException(
          "a burn is PASSED only with a read-back digest that matched");
    }
    if (outcome != Outcome.PASSED && (failureReason == null || failureReason.isBlank())) {
      throw new IllegalArgumentException("a " + outcome + " burn needs a failure reason");
    }
  }

  /** Passed with a matching read-back digest. */
  public static BurnResult passed(String readbackDigest) {
    return new BurnResult(Outcome.PASSED, null, readbackDigest, true);
  }

  /** Failed, with the read-back digest if one was taken. */
  public static BurnResult failed(String reason, String readbackDigest, Boolean readbackMatch) {
    return new BurnResult(Outcome.FAILED, reason, readbackDigest, readbackMatch);
  }
}
