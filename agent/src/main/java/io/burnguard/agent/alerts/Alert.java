package io.burnguard.agent.alerts;

/**
 * A security alert, e.g. an unauthorized USB device or a refused signature.
 *
 * @param id store id
 * @param created when raised ({@code Timestamps} format)
 * @param severity how urgent
 * @param kind machine-readable kind, e.g. {@code port.unauthorized-usb}
 * @param message what happened, in words security staff can act on
 * @param acknowledgedAt when acknowledged, or null while open
 * @param acknowledgedBy OS user who acknowledged, or null
 * @param note the acknowledgement note, or null
 */
public record Alert(
    long id,
    String created,
    Severity severity,
    String kind,
    String message,
    String acknowledgedAt,
    String acknowledgedBy,
    String note) {
  /** Whether it still awaits acknowledgement. */
  public boolean open() {
    return acknowledgedAt == null;
  }
}
