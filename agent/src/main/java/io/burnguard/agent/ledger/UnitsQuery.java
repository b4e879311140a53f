package io.burnguard.agent.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * A reverse trace for a recall: every burn of a firmware, optionally one version and a time window
 * {@code [since, until)} on the start time.
 *
 * @param firmwareName release name (required)
 * @param version release version, or null for all
 * @param since inclusive lower bound, or null
 * @param until exclusive upper bound, or null
 */
public record UnitsQuery(String firmwareName, String version, Instant since, Instant until) {
  public UnitsQuery {
    Objects.requireNonNull(firmwareName, "firmwareName");
    if (since != null && until != null && !since.isBefore(until)) {
      throw new IllegalArgumentException(
          "--since " + since + " is not before --until " + until + "; the window is empty");
    }
  }
}
