package io.burnguard.agent.audit;

import java.util.List;

/**
 * One unit's burns proven by the chain ({@code audit verify --unit BARCODE}, issue 11).
 *
 * @param barcode the unit
 * @param burns the burn ids found for it
 * @param entries the chain entries that recorded those burns, in order; each is signed by the
 *     station key and linked, entry by entry, to the signed head
 * @param headSequence the head the entries were linked to
 * @param headSource where that head came from
 */
public record UnitVerification(
    String barcode, List<Long> burns, List<Long> entries, long headSequence, String headSource) {
  public UnitVerification {
    burns = List.copyOf(burns);
    entries = List.copyOf(entries);
  }
}
