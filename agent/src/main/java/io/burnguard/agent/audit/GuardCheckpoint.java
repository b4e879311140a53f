package io.burnguard.agent.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.burnguard.agent.audit.AuditChainBroken.Problem;
import java.io.IOException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The remembered last-verified sequence of {@link ProjectionGuard}, kept as a signed chain entry so
 * that the daemon start replays only the entries after it (issue 11: "the last verified sequence is
 * remembered; only newer entries are replayed"). At 3.17M entries the full walk took 51 s.
 *
 * <p>Design:
 *
 * <ul>
 *   <li><b>What it says.</b> Entry {@code guard.checkpoint} (ref {@value #REF}) at sequence C: the
 *       guard verified every entry before C (hashes, links, signature of the newest), and the last
 *       entry of each vetting ref was at these sequences. Its payload is {@code
 *       {"last":{ref:seq,...},"verified":C-1}}; it is appended only when C-1 is the guard's last
 *       verified entry, under the write lock.
 *   <li><b>Why it can be trusted.</b> It is a chain entry, so it is signed by the station key: at
 *       start its hash is recomputed from its content and its signature checked, and the walk that
 *       follows checks the links from it to the newest entry. Someone with write access to the file
 *       but not the key cannot forge or edit one; deleting the newest makes the start walk from the
 *       one before, across the gap, which is reported as a missing entry. Each vetting entry it
 *       names is loaded by sequence and checked the same way (content hash, signature, ref), so an
 *       edited or re-labelled entry cannot stand in for it.
 *   <li><b>What it does not prove.</b> Entries before it are not walked again at start: an edit
 *       there that does not touch a named vetting entry is found by {@code audit verify}, not by
 *       the daemon start (the same as an edit made while the daemon runs, before this change).
 * </ul>
 */
final class GuardCheckpoint {
  static final String KIND = "guard.checkpoint";
  static final String REF = "guard/checkpoint";
  private static final ObjectMapper JSON = new ObjectMapper();

  private GuardCheckpoint() {}

  /** The payload for a guard that verified up to {@code verified} with these last entries. */
  static String payload(long verified, Map<String, Long> last) {
    return Canonical.json(Map.of("last", new TreeMap<>(last), "verified", verified));
  }

  /**
   * Loads and verifies the newest checkpoint.
   *
   * @param into receives ref -> {seq, kind, payload} of every vetting entry it names
   * @return {checkpoint seq, entry hash}, or null when the chain has no checkpoint
   * @throws AuditChainBroken when the checkpoint or an entry it names does not verify
   */
  static Object[] resume(Connection c, AuditVerifier verifier, Map<String, String[]> into)
      throws AuditChainBroken, SQLException {
    String[] cp = entry(c, "ref = ? ORDER BY seq DESC LIMIT 1", REF);
    if (cp == null) {
      return null;
    }
    long seq = Long.parseLong(cp[0]);
    byte[] hash = verified(verifier, cp, REF);
    JsonNode p;
    try {
      p = JSON.readTree(cp[4]);
    } catch (IOException e) {
      throw bad(seq, "its payload is not JSON");
    }
    if (p.path("verified").asLong(-1) != seq - 1) {
      throw bad(seq, "it does not name the entry before it as verified");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = p.path("last").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      long at = e.getValue().asLong(-1);
      String[] row = entry(c, "seq = ?", at);
      if (row == null || at >= seq) {
        throw bad(seq, "entry " + at + " of " + e.getKey() + " it names is missing");
      }
      verified(verifier, row, e.getKey());
      into.put(e.getKey(), new String[] {row[0], row[2], row[4]});
    }
    return new Object[] {seq, hash};
  }

  /** {seq, at, kind, ref, payload, payload_hash, prev_hash, entry_hash, signature} or null. */
  private static String[] entry(Connection c, String where, Object arg) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT seq, at, kind, ref, payload, payload_hash, prev_hash, entry_hash, signature"
                + " FROM audit_chain WHERE "
                + where)) {
      q.setObject(1, arg);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        String[] r = new String[9];
        for (int i = 0; i < 9; i++) {
          r[i] = rs.getString(i + 1);
        }
        return r;
      }
    }
  }

  /** Recomputes the entry's hash from its content; checks it, its signature and its ref. */
  private static byte[] verified(AuditVerifier verifier, String[] r, String ref)
      throws AuditChainBroken {
    long seq = Long.parseLong(r[0]);
    MessageDigest md = EntryCodec.sha256();
    byte[] prev = EntryCodec.hash32(r[6]);
    byte[] stored = EntryCodec.hash32(r[7]);
    byte[] ph = EntryCodec.payloadHash(md, r[4]);
    if (prev == null || stored == null || !ref.equals(r[3])) {
      throw bad(seq, "it is malformed or not the entry of " + ref);
    }
    byte[] h = EntryCodec.entryHash(md, seq, r[1], r[2], r[3], ph, prev);
    if (!MessageDigest.isEqual(h, stored)
        || !EntryCodec.HEX.formatHex(ph).equalsIgnoreCase(String.valueOf(r[5]))
        || !verifier.signed(h, r[8])) {
      throw bad(seq, "its content does not hash to its recorded hash or is not signed");
    }
    return h;
  }

  private static AuditChainBroken bad(long seq, String why) {
    return new AuditChainBroken(
        Problem.EDITED,
        seq,
        String.format(
            Locale.ROOT,
            "audit entry %d (the guard's checkpoint or an entry it relies on) does not verify: %s;"
                + " run burnguard audit verify",
            seq,
            why));
  }
}
