package io.burnguard.agent.vetting;

import java.util.Locale;
import java.util.Objects;

/**
 * A release, withdrawal list or image was refused by the vetting policy.
 *
 * <p>Carries a {@link Reason} code for the CLI's exit code and the ledger, the specific data that
 * explains it ({@link #detail()}: what was found and what was expected, where), and the reason's
 * fixed advice. Expected refusals never need a stack trace to be understood.
 */
public final class ReleaseRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Reason reason;
  private final String detail;

  /** A refusal for {@code reason}; {@code detail} says what was found, expected and where. */
  public ReleaseRejectedException(Reason reason, String detail) {
    this(reason, detail, null);
  }

  /** As {@link #ReleaseRejectedException(Reason, String)} with the underlying cause. */
  public ReleaseRejectedException(Reason reason, String detail, Throwable cause) {
    super(String.format(Locale.ROOT, "%s: %s. %s", reason.name(), detail, reason.advice()), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  /** The refusal code. */
  public Reason reason() {
    return reason;
  }

  /** What was found and what was expected, where. */
  public String detail() {
    return detail;
  }
}
