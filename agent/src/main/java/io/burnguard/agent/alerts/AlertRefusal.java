package io.burnguard.agent.alerts;

/** An acknowledgement was refused (exit 3); the message says why and what to do. */
public final class AlertRefusal extends Exception {
  /** Why. */
  public enum Reason {
    NOT_FOUND,
    ALREADY_ACKNOWLEDGED,
    NOTE_REQUIRED
  }

  private final Reason reason;
  private final long alertId;

  AlertRefusal(Reason reason, long alertId, String message) {
    super(message);
    this.reason = reason;
    this.alertId = alertId;
  }

  public Reason reason() {
    return reason;
  }

  public long alertId() {
    return alertId;
  }
}
