package io.burnguard.drivers.ymodem;

/** A YMODEM send that did not complete. */
public final class YmodemException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** The receiver never asked for the file ('C'). */
    NO_RECEIVER,
    /** The receiver sent CAN CAN. */
    RECEIVER_CANCELLED,
    /** A block was not acknowledged after every retry. */
    TOO_MANY_RETRIES,
    /** The link failed (port gone). */
    LINK_FAILED,
    /** The sender was cancelled; CAN CAN was sent. */
    CANCELLED,
    /** The image stream failed or was shorter than announced. */
    SOURCE_FAILED
  }

  private final Reason reason;
  private final long bytesAcknowledged;

  public YmodemException(Reason reason, String message, long bytesAcknowledged) {
    super(message);
    this.reason = reason;
    this.bytesAcknowledged = bytesAcknowledged;
  }

  public Reason reason() {
    return reason;
  }

  public long bytesAcknowledged() {
    return bytesAcknowledged;
  }
}
