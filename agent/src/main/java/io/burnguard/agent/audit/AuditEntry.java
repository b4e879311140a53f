package io.burnguard.agent.audit;

import java.util.Objects;

/**
 * One link of the audit chain, as stored. Hashes and the signature are lowercase hex.
 *
 * @param seq position in the chain, 1 for the first entry, no gaps
 * @param at when it was appended ({@link Timestamps} format)
 * @param kind what happened, e.g. {@code burn.started}, {@code order.opened}
 * @param ref what it is about, e.g. {@code burns/42}, {@code orders/WO-1}
 * @param payload canonical JSON of the event ({@link Canonical})
 * @param payloadHash SHA-256 of the payload's UTF-8 bytes
 * @param prevHash the previous entry's hash; 64 zeros for the first entry
 * @param entryHash SHA-256 over all fields above (see {@code EntryCodec})
 * @param signature Ed25519 signature by the station key over the entry hash
 */
public record AuditEntry(
    long seq,
    String at,
    String kind,
    String ref,
    String payload,
    String payloadHash,
    String prevHash,
    String entryHash,
    String signature) {
  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(payload, "payload");
  }
}
