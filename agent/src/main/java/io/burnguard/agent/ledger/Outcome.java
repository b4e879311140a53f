package io.burnguard.agent.ledger;

/** The state of a burn record. Only STARTED changes, and only once. */
public enum Outcome {
  /** Recorded before the device is touched; the burn is running. */
  STARTED,
  /** Written and read back with a matching digest. */
  PASSED,
  /** The driver or the read-back failed; {@code failureReason} says how. */
  FAILED,
  /** Stopped on purpose (operator, policy) before it finished. */
  CANCELLED,
  /** The daemon restarted while it was STARTED: the device may hold a partial image. */
  INTERRUPTED
}
