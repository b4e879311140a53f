package io.burnguard.agent.fleet;

import io.burnguard.agent.audit.Timestamps;
import java.time.Instant;

/**
 * Which alerts {@code fleet alerts} lists.
 *
 * @param station only this station, or null for every station
 * @param since only alerts raised at or after this time, or null
 * @param severity only INFO, WARNING or CRITICAL, or null for all
 * @param openOnly only alerts not acknowledged on the station
 */
public record AlertFilter(String station, Instant since, String severity, boolean openOnly) {
  String sinceText() {
    return since == null ? null : Timestamps.format(since);
  }
}
