package io.burnguard.drivers.uboot;

/** A console step that did not succeed, with the kind of trouble and the output seen. */
final class ConsoleException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** No answer within the deadline. */
    TIMEOUT,
    /** The boot loader printed an error, or the command's exit status was not 0. */
    COMMAND_ERROR,
    /** The port went away (unplugged, pty closed). */
    PORT_GONE,
    /** The operator or daemon cancelled the burn. */
    CANCELLED
  }

  private final Kind kind;
  private final String output;

  public ConsoleException(Kind kind, String message, String output) {
    super(message);
    this.kind = kind;
    this.output = output == null ? "" : output;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * What the boot loader printed for the failed step (may be empty), raw: hostile device text that
   * must go through {@link BurnFailure#lastLines} (UntrustedText) before anyone sees it.
   */
  public String output() {
    return output;
  }
}
