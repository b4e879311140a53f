package io.burnguard.agent.vetting;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** {@link VersionStore} in memory; thread-safe by synchronization. */
final class InMemoryVersionStore implements VersionStore {
  private final Map<String, String> versions = new HashMap<>();
  private long sequence = -1;

  @Override
  public synchronized Optional<String> highestVersion(String name) {
    return Optional.ofNullable(versions.get(name));
  }

  @Override
  public synchronized void recordVersion(String name, String version) {
    versions.merge(
        name,
        version,
        (old, neu) ->
            ReleaseVersion.parse(neu).compareTo(ReleaseVersion.parse(old)) > 0 ? neu : old);
  }

  @Override
  public synchronized OptionalLong withdrawalSequence() {
    return sequence < 0 ? OptionalLong.empty() : OptionalLong.of(sequence);
  }

  @Override
  public synchronized void recordWithdrawalSequence(long s) {
    sequence = Math.max(sequence, s);
  }
}
