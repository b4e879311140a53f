package io.burnguard.agent.parts;

import java.time.Instant;

/**
 * The destruction of a part, as recorded by the engineer who did it.
 *
 * @param method how it was destroyed
 * @param by the engineer
 * @param at when
 * @param note free text (e.g. the shredder's job number), may be empty
 */
public record ScrapRecord(ScrapMethod method, Actor by, Instant at, String note) {
  public ScrapRecord {
    if (method == null || by == null || at == null) {
      throw new IllegalArgumentException("a scrap record needs a method, a person and a time");
    }
    note = note == null ? "" : note;
  }
}
