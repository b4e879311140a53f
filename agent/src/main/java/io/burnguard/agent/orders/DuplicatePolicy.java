package io.burnguard.agent.orders;

/** What to do when a barcode already PASSED in the same work order is burned again. */
public enum DuplicatePolicy {
  /** Refuse, unless the request gives a rework reason (the default). */
  REWORK_WITH_REASON,
  /** Refuse always: each unit is burned at most once per order. */
  NEVER
}
