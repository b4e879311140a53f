package io.burnguard.agent.parts;

/** A parts request refused before anything changed, with the next step in the message. */
public final class PartRefused extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** The supplier is not in station.yaml {@code parts.suppliers}. */
    UNKNOWN_SUPPLIER,
    /** A part with this id is already registered. */
    DUPLICATE_ID,
    /** No part with this id is registered. */
    UNKNOWN_PART,
    /** The caller lacks the role the request needs. */
    WRONG_ROLE,
    /** The configured label pattern makes a label that does not fit this part id. */
    LABEL_INVALID
  }

  private final Reason reason;

  PartRefused(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Why. */
  public Reason reason() {
    return reason;
  }
}
