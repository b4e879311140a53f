package io.burnguard.agent.parts;

/**
 * The life of a key part (issue 15): RECEIVED -> SANITIZED -> INSTALLED (in a unit) or IN_USE ->
 * SCRAPPED. The allowed moves are in {@link PartLifecycle}.
 */
public enum PartState {
  /** Registered from a known supplier; not yet sanitized (or sent back by a detection). */
  RECEIVED,
  /** Sanitized, verified and formatted, with a certificate. */
  SANITIZED,
  /** Built into a unit, linked to its barcode. */
  INSTALLED,
  /** Used on the line (carrying data), not built into a unit. */
  IN_USE,
  /** Destroyed on record, with a witness. Final. */
  SCRAPPED
}
