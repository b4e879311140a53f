package io.burnguard.agent.fleet;

import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import java.time.Clock;
import java.time.Duration;

/**
 * How far fleet shipping is behind the station's audit chain.
 *
 * @param shippedSeq the last sequence the central side confirmed
 * @param unshipped chain entries not yet confirmed
 * @param oldestAge age of the oldest unshipped entry (zero when none)
 */
public record FleetLag(long shippedSeq, long unshipped, Duration oldestAge) {
  /** Whether the oldest unshipped entry is older than {@code maxLag}. */
  public boolean exceeds(Duration maxLag) {
    return unshipped > 0 && oldestAge.compareTo(maxLag) > 0;
  }

  /** Reads the lag from the station database. */
  public static FleetLag of(Database db, Clock clock) throws DatabaseException {
    return db.read(c -> Outbox.lag(c, clock.instant()));
  }
}
