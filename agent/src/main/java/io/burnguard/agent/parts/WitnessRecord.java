package io.burnguard.agent.parts;

import java.time.Instant;

/**
 * A security staff member's confirmation that they saw the part destroyed as recorded.
 *
 * @param by the witness (must hold the security role and not be the person who scrapped it)
 * @param at when
 * @param note free text, may be empty
 */
public record WitnessRecord(Actor by, Instant at, String note) {
  public WitnessRecord {
    if (by == null || at == null) {
      throw new IllegalArgumentException("a witness record needs a person and a time");
    }
    note = note == null ? "" : note;
  }
}
