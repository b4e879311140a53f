package io.burnguard.agent.vetting;

import io.burnguard.agent.db.DatabaseException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The station's rollback memory: the highest release version accepted per name, and the highest
 * withdrawal-list sequence seen. Both only ever go up.
 */
public interface VersionStore {
  /** The highest version accepted for {@code name}, if any. */
  Optional<String> highestVersion(String name) throws DatabaseException;

  /** Records {@code version} of {@code name} as accepted; keeps the higher of old and new. */
  void recordVersion(String name, String version) throws DatabaseException;

  /** The highest withdrawal-list sequence seen, if any. */
  OptionalLong withdrawalSequence() throws DatabaseException;

  /** Records a verified withdrawal-list sequence; keeps the higher of old and new. */
  void recordWithdrawalSequence(long sequence) throws DatabaseException;

  /** A store in memory, for offline checks and tests. */
  static VersionStore inMemory() {
    return new InMemoryVersionStore();
  }
}
