package io.burnguard.agent.orders;

/**
 * A work order as stored, with its progress.
 *
 * @param spec what was opened
 * @param open whether burns are accepted
 * @param openedAt when, {@code Timestamps} format
 * @param openedBy OS user who opened it
 * @param closedAt when closed, or null
 * @param closedBy who closed it, or null
 * @param closeNote why, or null
 * @param passed distinct units PASSED in this order
 */
public record WorkOrder(
    OrderSpec spec,
    boolean open,
    String openedAt,
    String openedBy,
    String closedAt,
    String closedBy,
    String closeNote,
    long passed) {
  /** Units still to burn. */
  public long remaining() {
    return Math.max(0, spec.quantity() - passed);
  }
}
