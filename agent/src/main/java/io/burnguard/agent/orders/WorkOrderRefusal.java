package io.burnguard.agent.orders;

/**
 * A work-order rule refused a burn or an order change (exit 3). The message says what was found,
 * what was expected and what the operator or engineer can do.
 */
public final class WorkOrderRefusal extends Exception {
  /** Why. */
  public enum Reason {
    NO_OPEN_ORDER,
    AMBIGUOUS_ORDER,
    ORDER_NOT_FOUND,
    ORDER_CLOSED,
    ORDER_EXISTS,
    MODEL_MISMATCH,
    FIRMWARE_MISMATCH,
    BARCODE_EMPTY,
    BARCODE_TOO_LONG,
    BARCODE_CHARACTERS,
    BARCODE_RULE,
    CHECK_DIGIT,
    DUPLICATE,
    IN_PROGRESS,
    QUANTITY_REACHED,
    /** The vetting state disagrees with the signed audit chain (issue 11): nothing is burned. */
    LEDGER_STATE
  }

  private final Reason reason;
  private final String orderId;

  public WorkOrderRefusal(Reason reason, String orderId, String message) {
    super(message);
    this.reason = reason;
    this.orderId = orderId;
  }

  /** Why the request was refused. */
  public Reason reason() {
    return reason;
  }

  /** The work order concerned, or null when none was found. */
  public String orderId() {
    return orderId;
  }
}
