package io.burnguard.agent.fleet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of {@code fleet audit} for one station.
 *
 * @param station the station id
 * @param verified the last sequence of the intact, verified prefix of its stored chain
 * @param heads how many anchored heads were checked
 * @param finding the first problem, or null when the station verifies
 */
public record StationAudit(String station, long verified, long heads, Finding finding) {
  /** Whether the station verifies. */
  public boolean ok() {
    return finding == null;
  }

  /** Columns for table, JSON and CSV output. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("station", station);
    m.put("result", ok() ? "OK" : finding.problem());
    m.put("verifiedSeq", verified);
    m.put("heads", heads);
    m.put("seq", ok() ? null : finding.seq());
    m.put("detail", ok() ? null : finding.message());
    return m;
  }
}
