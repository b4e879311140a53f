package io.burnguard.agent.parts;

import java.time.Instant;

/**
 * One thing that happened to a part, as it will be chained in the audit log (each event is one
 * chain entry; the part's row is its projection).
 *
 * @param partId the part
 * @param kind what happened
 * @param from the state before
 * @param to the state after
 * @param actor the user who caused it
 * @param at when
 * @param detail the specifics in words (device, signature, unit, method), never null
 */
public record PartEvent(
    String partId,
    Kind kind,
    PartState from,
    PartState to,
    String actor,
    Instant at,
    String detail) {
  /** Event kinds. */
  public enum Kind {
    REGISTERED,
    /** Recorded before the first byte is written; the part is RECEIVED from here on. */
    SANITIZE_STARTED,
    SANITIZED,
    /** The run was interrupted (cancel, shutdown); a crash shows as a STARTED without an end. */
    SANITIZE_INTERRUPTED,
    SANITIZE_FAILED,
    SCANNED_CLEAN,
    MALWARE_FOUND,
    INSTALLED,
    IN_USE,
    SCRAP_RECORDED,
    WITNESSED,
    /**
     * An inventory found the part not seen for longer than {@code parts.inventoryInterval} and
     * raised its alert; recorded once per overdue period, so the alert is not repeated.
     */
    INVENTORY_OVERDUE,
    /** An inventory found a SCRAPPED part present again and raised its critical alert. */
    SCRAPPED_SEEN
  }

  public PartEvent {
    detail = detail == null ? "" : detail;
  }
}
