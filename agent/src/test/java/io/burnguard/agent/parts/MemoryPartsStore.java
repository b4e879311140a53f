package io.burnguard.agent.parts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A PartsStore in memory, for tests until the ledger's projections exist. */
final class MemoryPartsStore implements PartsStore {
  final Map<String, Part> parts = new TreeMap<>();
  final List<PartEvent> events = new ArrayList<>();
  final Map<String, Certificate> certificates = new TreeMap<>();

  @Override
  public Optional<Part> find(String id) {
    return Optional.ofNullable(parts.get(id));
  }

  @Override
  public List<Part> all() {
    return List.copyOf(parts.values());
  }

  @Override
  public void append(PartEvent event, Part after) {
    if (!event.partId().equals(after.id()) || event.to() != after.state()) {
      throw new IllegalStateException("event " + event + " does not describe " + after);
    }
    events.add(event);
    parts.put(after.id(), after);
  }

  @Override
  public void append(PartEvent event, Part after, Certificate certificate) {
    append(event, after);
    certificates.put(after.id(), certificate);
  }

  @Override
  public Optional<Certificate> certificate(String partId) {
    return Optional.ofNullable(certificates.get(partId));
  }

  @Override
  public List<PartEvent> events(String partId) {
    return events.stream().filter(e -> e.partId().equals(partId)).toList();
  }
}
