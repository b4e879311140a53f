package io.burnguard.agent.fleet;

import io.burnguard.agent.audit.Timestamps;
import java.time.Instant;
import java.util.Objects;

/**
 * What a fleet recall lists: units whose latest burn with {@code firmware} PASSED.
 *
 * @param firmware release name (required)
 * @param version only this version, or null for any
 * @param since only burns started at or after this time, or null
 * @param station only this station, or null for every station
 */
public record UnitFilter(String firmware, String version, Instant since, String station) {
  public UnitFilter {
    Objects.requireNonNull(firmware, "firmware");
  }

  String sinceText() {
    return since == null ? null : Timestamps.format(since);
  }
}
