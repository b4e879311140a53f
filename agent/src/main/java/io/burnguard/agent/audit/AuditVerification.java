package io.burnguard.agent.audit;

import java.util.List;

/**
 * An intact chain.
 *
 * @param entries number of entries walked
 * @param lastSequence the last sequence (0 for an empty chain)
 * @param lastHash the last entry hash, hex
 * @param signaturesChecked how many entry signatures were verified
 * @param headsChecked the heads compared against (file names), in order
 * @param rowsCompared table rows compared with the chain (issue 11: every projected table)
 */
public record AuditVerification(
    long entries,
    long lastSequence,
    String lastHash,
    long signaturesChecked,
    List<String> headsChecked,
    long rowsCompared) {
  public AuditVerification {
    headsChecked = List.copyOf(headsChecked);
  }
}
