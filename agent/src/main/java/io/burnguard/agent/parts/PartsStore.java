package io.burnguard.agent.parts;

import java.util.List;
import java.util.Optional;

/**
 * Where parts, their events and certificates are kept. Persistence-agnostic on purpose: the
 * ledger's design makes every table a projection of audit-chain entries, so an implementation
 * appends each event as one chain entry and updates the part's projected row (and the certificate)
 * in the same transaction. {@link Parts} never changes a part without an event.
 */
public interface PartsStore {
  /** The part with {@code id}, if registered. */
  Optional<Part> find(String id) throws PartsStoreException;

  /** Every registered part, by id. */
  List<Part> all() throws PartsStoreException;

  /** Appends {@code event} and makes {@code after} the part's current value, atomically. */
  void append(PartEvent event, Part after) throws PartsStoreException;

  /** As {@link #append}, also storing the certificate the event issued. */
  void append(PartEvent event, Part after, Certificate certificate) throws PartsStoreException;

  /** The newest certificate of a part, if it was ever sanitized. */
  Optional<Certificate> certificate(String partId) throws PartsStoreException;

  /** A part's events, oldest first. */
  List<PartEvent> events(String partId) throws PartsStoreException;
}
