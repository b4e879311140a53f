package io.burnguard.agent.parts;

/**
 * A lifecycle move that is not allowed. The message names the part, its current state, the move and
 * what would make it allowed.
 */
public final class TransitionRefused extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** The move is not allowed from the current state. */
    ILLEGAL_STATE,
    /** The actor lacks the role the move needs. */
    WRONG_ROLE,
    /** A witness for a part with no scrap record. */
    NO_SCRAP_RECORD,
    /** A second scrap record for the same part. */
    ALREADY_SCRAP_RECORDED,
    /** The witness is the person who scrapped the part. */
    SAME_PERSON,
    /** INSTALLED needs a unit barcode. */
    NO_UNIT
  }

  private final Reason reason;
  private final PartState current;

  TransitionRefused(Reason reason, Part part, String move, String why) {
    super("part " + part.id() + " is " + part.state() + ": cannot " + move + "; " + why);
    this.reason = reason;
    this.current = part.state();
  }

  /** Why. */
  public Reason reason() {
    return reason;
  }

  /** The state the part was in. */
  public PartState current() {
    return current;
  }
}
