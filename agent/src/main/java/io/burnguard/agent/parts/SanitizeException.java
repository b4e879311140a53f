package io.burnguard.agent.parts;

/**
 * A sanitize that did not complete. The part is not SANITIZED after any of these; the device may
 * hold a partial overwrite and must be sanitized again.
 */
public final class SanitizeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why, with the next step. */
  public enum Reason {
    /** Cancelled or the thread was interrupted (shutdown, operator abort). */
    INTERRUPTED("sanitize the part again; it stays unsanitized until a run completes"),
    /** Opening or writing the device failed. */
    WRITE_FAILED("check the device and its connection (dmesg), then sanitize again or scrap it"),
    /** The read-back did not match the pattern. */
    VERIFY_FAILED(
        "the device did not keep what was written: scrap it (it cannot be shown to be clean)"),
    /** The file system could not be created. */
    FORMAT_FAILED("install dosfstools / exfatprogs, check the device, then sanitize again");

    private final String fix;

    Reason(String fix) {
      this.fix = fix;
    }

    /** The next step. */
    public String fix() {
      return fix;
    }
  }

  private final Reason reason;

  SanitizeException(Reason reason, String found, Throwable cause) {
    super(found + "; " + reason.fix(), cause);
    this.reason = reason;
  }

  /** Why. */
  public Reason reason() {
    return reason;
  }
}
