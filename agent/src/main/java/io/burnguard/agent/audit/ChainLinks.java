package io.burnguard.agent.audit;

import io.burnguard.agent.audit.AuditChainBroken.Problem;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Walks a chain handed over entry by entry, wherever it is stored (the fleet ledger reads it from
 * PostgreSQL), with the same rules as {@link AuditVerifier}: sequences from 1 without gaps, each
 * entry's payload and entry hash recomputed, each previous hash equal to the recomputed hash before
 * it. Signatures are checked on request under the trusted key only ({@link #signed}), so a caller
 * can check the last entry of the intact prefix and search backwards only when it is not signed.
 * Not thread-safe: one walker per chain.
 */
public final class ChainLinks {
  private final byte[] publicKey;
  private final MessageDigest md = EntryCodec.sha256();
  private long expected = 1;
  private byte[] prev = new byte[32];

  /**
   * @param publicKey the registered raw Ed25519 public key of the station
   */
  public ChainLinks(byte[] publicKey) {
    this.publicKey = publicKey.clone();
  }

  /**
   * Checks the next entry.
   *
   * @throws AuditChainBroken naming {@code e}'s sequence (or the missing one) and what is wrong
   */
  public void next(AuditEntry e) throws AuditChainBroken {
    long seq = e.seq();
    if (seq != expected) {
      throw new AuditChainBroken(
          Problem.MISSING,
          expected,
          fmt(
              "audit entry %d is missing: the chain goes from %d to %d; entries %d..%d are not"
                  + " there",
              expected, expected - 1, seq, expected, seq - 1));
    }
    byte[] storedPayload = EntryCodec.hash32(e.payloadHash());
    byte[] storedPrev = EntryCodec.hash32(e.prevHash());
    byte[] storedEntry = EntryCodec.hash32(e.entryHash());
    if (storedPayload == null || storedPrev == null || storedEntry == null) {
      throw new AuditChainBroken(
          Problem.MALFORMED, seq, fmt("audit entry %d has a hash that is not 64 hex digits", seq));
    }
    if (!MessageDigest.isEqual(storedPrev, prev)) {
      throw new AuditChainBroken(
          Problem.BROKEN_LINK,
          seq,
          fmt(
              "audit entry %d does not follow entry %d (it names previous hash %s, entry %d"
                  + " hashes to %s)",
              seq, seq - 1, e.prevHash(), seq - 1, EntryCodec.HEX.formatHex(prev)));
    }
    byte[] payloadHash = EntryCodec.payloadHash(md, e.payload());
    byte[] entryHash = EntryCodec.entryHash(md, seq, e.at(), e.kind(), e.ref(), payloadHash, prev);
    if (!MessageDigest.isEqual(payloadHash, storedPayload)
        || !MessageDigest.isEqual(entryHash, storedEntry)) {
      throw new AuditChainBroken(
          Problem.EDITED,
          seq,
          fmt(
              "audit entry %d (%s %s) was edited: its content hashes to %s but the chain recorded"
                  + " %s",
              seq, e.kind(), e.ref(), EntryCodec.HEX.formatHex(entryHash), e.entryHash()));
    }
    prev = entryHash;
    expected = seq + 1;
  }

  /** The last sequence that passed {@link #next} (0 before the first). */
  public long last() {
    return expected - 1;
  }

  /** The hash of the last entry that passed (64 zeros before the first). */
  public String lastHash() {
    return EntryCodec.HEX.formatHex(prev);
  }

  /** Whether {@code e}'s signature over its entry hash is valid under the trusted key. */
  public boolean signed(AuditEntry e) {
    byte[] h = EntryCodec.hash32(e.entryHash());
    String sig = e.signature();
    if (h == null || sig == null || !sig.matches("[0-9a-f]{128}")) {
      return false;
    }
    return StationKey.verify(publicKey, h, EntryCodec.HEX.parseHex(sig));
  }

  /** Whether {@code head} is signed by the trusted key. */
  public boolean signed(AuditHead head) {
    return head.signatureValid(publicKey);
  }

  /** The failure for an entry whose signature is not valid. */
  public static AuditChainBroken unsigned(long seq) {
    return new AuditChainBroken(
        Problem.BAD_SIGNATURE,
        seq,
        fmt(
            "audit entry %d is not signed by the registered station key: it was forged or"
                + " inserted, or the chain was rewritten from entry %d on",
            seq, seq));
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
