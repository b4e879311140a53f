package io.burnguard.agent.audit;

import io.burnguard.agent.audit.AuditChainBroken.Problem;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Proves, before the burn pipeline trusts them, that the security-relevant tables (anti-rollback
 * versions, withdrawal sequence and list, release catalog) are what the signed chain says (issue
 * 11, "Security-relevant reads trust only verified state").
 *
 * <p>Design:
 *
 * <ul>
 *   <li><b>Threat.</b> Someone with write access to the database file resets {@code
 *       vetting_highest_version} or {@code vetting_withdrawal_state} to re-open a downgrade or the
 *       replay of an old withdrawal list. The chain cannot be rewritten without the station key.
 *   <li><b>Replay in memory, incrementally.</b> The guard walks the chain once (at daemon start,
 *       from the newest signed checkpoint, {@link GuardCheckpoint}) checking every hash and link,
 *       and keeps the last chained row of each guarded ref in memory (a handful of rows). It
 *       remembers the last sequence and hash it verified; each later check walks only the newer
 *       entries (those link to the remembered hash) and verifies the signature of the newest, which
 *       by the link argument of {@link AuditVerifier} covers all of them. So the check before a
 *       burn costs a few indexed reads and one Ed25519 verification.
 *   <li><b>Compare with the tables.</b> The guarded tables are read in full (they are tiny) and
 *       compared with the replay; any difference, or a broken chain, is an {@link AuditChainBroken}
 *       and the caller refuses to burn.
 * </ul>
 */
public final class ProjectionGuard {
  static final List<String> GUARDED =
      List.of(
          "vetting_highest_version",
          "vetting_withdrawal_state",
          "vetting_withdrawals_doc",
          "vetting_release");

  private record Chained(long seq, String kind, String payload) {}

  private final AuditVerifier verifier;
  private final List<Projection> guarded;
  private final Map<String, Chained> replay = new HashMap<>(); // guarded by this
  private long verifiedSeq; // guarded by this
  private byte[] verifiedHash = new byte[32]; // guarded by this
  private boolean resumed; // guarded by this: the newest checkpoint was looked for
  private long checkpointSeq; // guarded by this: the newest checkpoint walked or resumed from
  private long walked; // guarded by this: entries walked by the last check

  /** A guard trusting only {@code publicKey}. */
  public ProjectionGuard(byte[] publicKey) {
    this.verifier = new AuditVerifier(publicKey, false);
    this.guarded = GUARDED.stream().map(t -> Projection.of(t).orElseThrow()).toList();
  }

  /** The last sequence verified so far (0 before the first check). */
  public synchronized long verifiedSequence() {
    return verifiedSeq;
  }

  /**
   * Verifies the chain entries newer than the last check and compares the guarded tables on {@code
   * c} with the chain.
   *
   * @throws AuditChainBroken when the chain is broken or a guarded table differs from it
   */
  public synchronized void check(Connection c) throws AuditChainBroken, SQLException {
    if (!resumed) {
      resume(c);
      resumed = true;
    }
    walk(c);
    ProjectionVerifier pv = new ProjectionVerifier();
    for (Projection p : guarded) {
      compare(c, p, pv);
    }
    if (pv.total() > 0) {
      throw ProjectionVerifier.broken(pv.found(), pv.total(), true);
    }
  }

  /** Entries walked by the last check (the first walks from the checkpoint, if any). */
  public synchronized long walkedByLastCheck() {
    return walked;
  }

  /** Entries verified since the newest checkpoint (all of them when there is none). */
  public synchronized long sinceCheckpoint() {
    return verifiedSeq - checkpointSeq;
  }

  /**
   * Appends a checkpoint of this guard's state on the writer {@code c} (inside {@link
   * AuditChain#write}), when the chain ends at the last entry it verified; otherwise does nothing.
   */
  public synchronized void appendCheckpoint(Connection c, AuditChain chain) throws SQLException {
    long tip;
    try (PreparedStatement q = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM audit_chain");
        ResultSet rs = q.executeQuery()) {
      tip = rs.next() ? rs.getLong(1) : 0;
    }
    if (tip == 0 || tip != verifiedSeq) {
      return;
    }
    Map<String, Long> last = new HashMap<>();
    replay.forEach((ref, ch) -> last.put(ref, ch.seq()));
    chain.append(
        c, GuardCheckpoint.KIND, GuardCheckpoint.REF, GuardCheckpoint.payload(verifiedSeq, last));
  }

  /** Starts from the newest signed checkpoint instead of entry 1 (daemon start). */
  private void resume(Connection c) throws AuditChainBroken, SQLException {
    Map<String, String[]> named = new HashMap<>();
    Object[] cp = GuardCheckpoint.resume(c, verifier, named);
    if (cp == null) {
      return;
    }
    named.forEach(
        (ref, r) -> {
          if (isGuarded(ref)) {
            replay.put(ref, new Chained(Long.parseLong(r[0]), r[1], r[2]));
          }
        });
    verifiedSeq = (Long) cp[0];
    verifiedHash = (byte[]) cp[1];
    checkpointSeq = verifiedSeq;
  }

  private void walk(Connection c) throws AuditChainBroken, SQLException {
    MessageDigest md = EntryCodec.sha256();
    Map<String, Chained> fresh = new HashMap<>();
    long expected = verifiedSeq + 1;
    byte[] prev = verifiedHash;
    String lastSignature = null;
    long lastCheckpoint = 0;
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT seq, at, kind, ref, payload, unhex(payload_hash), unhex(prev_hash),"
                + " unhex(entry_hash), signature FROM audit_chain WHERE seq > ? ORDER BY seq")) {
      q.setLong(1, verifiedSeq);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          AuditChainBroken broken = AuditVerifier.checkRow(md, rs, seq, expected, prev);
          if (broken != null) {
            throw broken;
          }
          String ref = rs.getString(4);
          if (isGuarded(ref)) {
            fresh.put(ref, new Chained(seq, rs.getString(3), rs.getString(5)));
          } else if (GuardCheckpoint.REF.equals(ref)) {
            lastCheckpoint = seq;
          }
          prev = AuditVerifier.storedHash(rs, 8);
          lastSignature = rs.getString(9);
          expected = seq + 1;
        }
      }
    }
    if (lastSignature != null && !verifier.signed(prev, lastSignature)) {
      throw new AuditChainBroken(
          Problem.BAD_SIGNATURE,
          expected - 1,
          String.format(
              Locale.ROOT,
              "audit entry %d is not signed by the station key: entries %d..%d were forged or"
                  + " rewritten",
              expected - 1,
              verifiedSeq + 1,
              expected - 1));
    }
    replay.putAll(fresh);
    walked = expected - 1 - verifiedSeq;
    checkpointSeq = Math.max(checkpointSeq, lastCheckpoint);
    verifiedSeq = expected - 1;
    verifiedHash = prev;
  }

  private boolean isGuarded(String ref) {
    for (Projection p : guarded) {
      if (ref.startsWith(p.prefix())) {
        return true;
      }
    }
    return false;
  }

  private void compare(Connection c, Projection p, ProjectionVerifier pv) throws SQLException {
    Set<String> seen = new HashSet<>();
    try (PreparedStatement q = c.prepareStatement("SELECT * FROM " + p.table());
        ResultSet rs = q.executeQuery()) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = RowImage.read(rs, n);
        String key = ProjectionVerifier.keyOf(p, row);
        String ref = p.prefix() + key;
        seen.add(ref);
        Chained ch = replay.get(ref);
        pv.compare(
            p,
            key,
            RowImage.upsert(p.table(), row),
            ch == null ? null : ch.payload(),
            ch == null ? 0 : ch.seq(),
            ch == null ? null : ch.kind());
      }
    }
    for (Map.Entry<String, Chained> e : replay.entrySet()) {
      if (e.getKey().startsWith(p.prefix()) && !seen.contains(e.getKey())) {
        Chained ch = e.getValue();
        pv.missing(p, e.getKey().substring(p.prefix().length()), ch.payload(), ch.seq(), ch.kind());
      }
    }
  }
}
