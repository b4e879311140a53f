package io.burnguard.agent.audit;

import io.burnguard.agent.audit.AuditChainBroken.Problem;
import io.burnguard.agent.audit.AuditVerifier.NamedHead;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Verifies one unit's burn rows against the signed head, without walking the whole chain (issue 11,
 * "{@code trace} tells the truth about what it shows").
 *
 * <p>For every burn row of the barcode: each chain entry of its ref must hash to its stored hash
 * and carry the station's signature, and the last one must record exactly the row shown. Then the
 * chain is walked from the unit's first entry to the newest trusted head, checking every link, and
 * the hash there must be the one the head signed: so the entries are the ones the head commits to,
 * none was dropped or replaced after them. Cost: the unit's entries plus the chain since its first
 * burn. A unit's row deleted from {@code burns} is not seen here (the row is how the unit's entries
 * are found); the full {@code audit verify} finds those.
 */
final class UnitVerifier {
  private final AuditVerifier keys;

  UnitVerifier(AuditVerifier keys) {
    this.keys = keys;
  }

  UnitVerification verify(Connection c, String barcode, List<NamedHead> heads)
      throws AuditChainBroken, SQLException {
    NamedHead head = newestSigned(heads);
    MessageDigest md = EntryCodec.sha256();
    List<Long> burns = new ArrayList<>();
    List<Long> entries = new ArrayList<>();
    ProjectionVerifier pv = new ProjectionVerifier();
    Projection p = Projection.of("burns").orElseThrow();
    try (PreparedStatement q =
        c.prepareStatement("SELECT * FROM burns WHERE barcode = ? ORDER BY id")) {
      q.setString(1, barcode);
      try (ResultSet rs = q.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Map<String, Object> row = RowImage.read(rs, n);
          long id = ((Number) row.get("id")).longValue();
          burns.add(id);
          String[] last = entriesOf(c, md, p.ref(id), head.head().sequence(), entries);
          pv.compare(
              p,
              Long.toString(id),
              RowImage.upsert("burns", row),
              last == null ? null : last[2],
              last == null ? 0 : Long.parseLong(last[0]),
              last == null ? null : last[1]);
        }
      }
    }
    if (pv.total() > 0) {
      throw ProjectionVerifier.broken(pv.found(), pv.total(), true);
    }
    if (!entries.isEmpty()) {
      linkToHead(c, md, entries.stream().mapToLong(Long::longValue).min().orElseThrow(), head);
    }
    return new UnitVerification(
        barcode, burns, entries.stream().sorted().toList(), head.head().sequence(), head.source());
  }

  private NamedHead newestSigned(List<NamedHead> heads) throws AuditChainBroken {
    NamedHead best = null;
    for (NamedHead h : heads) {
      if (!h.head().signatureValid(keys.publicKey())) {
        throw new AuditChainBroken(
            Problem.BAD_HEAD,
            h.head().sequence(),
            fmt("the audit head %s is not signed by the station key", h.source()));
      }
      if (best == null || h.head().sequence() > best.head().sequence()) {
        best = h;
      }
    }
    if (best == null) {
      throw new AuditChainBroken(
          Problem.BAD_HEAD, 0, "no signed head to verify the unit against; give one with --head");
    }
    return best;
  }

  /** Checks each entry of {@code ref}; returns {seq, kind, payload} of the last one or null. */
  private String[] entriesOf(
      Connection c, MessageDigest md, String ref, long headSeq, List<Long> out)
      throws AuditChainBroken, SQLException {
    String[] last = null;
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT seq, at, kind, ref, payload, payload_hash, prev_hash, entry_hash, signature"
                + " FROM audit_chain WHERE ref = ? AND seq <= ? ORDER BY seq")) {
      q.setString(1, ref);
      q.setLong(2, headSeq);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          byte[] prev = EntryCodec.hash32(rs.getString(7));
          AuditChainBroken b = prev == null ? null : AuditVerifier.checkRow(md, rs, seq, seq, prev);
          if (prev == null || b != null) {
            throw b != null
                ? b
                : new AuditChainBroken(
                    Problem.MALFORMED, seq, fmt("audit entry %d has a malformed hash", seq));
          }
          if (!keys.signed(EntryCodec.hash32(rs.getString(8)), rs.getString(9))) {
            throw new AuditChainBroken(
                Problem.BAD_SIGNATURE,
                seq,
                fmt("audit entry %d (%s) is not signed by the station key", seq, ref));
          }
          out.add(seq);
          last = new String[] {Long.toString(seq), rs.getString(3), rs.getString(5)};
        }
      }
    }
    return last;
  }

  private static void linkToHead(Connection c, MessageDigest md, long from, NamedHead head)
      throws AuditChainBroken, SQLException {
    long expected = from;
    byte[] prev = null;
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT seq, at, kind, ref, payload, payload_hash, prev_hash, entry_hash, signature"
                + " FROM audit_chain WHERE seq >= ? AND seq <= ? ORDER BY seq")) {
      q.setLong(1, from);
      q.setLong(2, head.head().sequence());
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          byte[] link = prev != null ? prev : EntryCodec.hash32(rs.getString(7));
          AuditChainBroken b = AuditVerifier.checkRow(md, rs, seq, expected, link);
          if (b != null) {
            throw b;
          }
          prev = EntryCodec.hash32(rs.getString(8));
          expected = seq + 1;
        }
      }
    }
    String at = prev == null ? "" : EntryCodec.HEX.formatHex(prev);
    if (expected - 1 != head.head().sequence() || !at.equals(head.head().hash())) {
      throw new AuditChainBroken(
          Problem.HEAD_MISMATCH,
          head.head().sequence(),
          fmt(
              "the chain from entry %d does not reach the audit head %s (entry %d, hash %s):"
                  + " entries were cut, replaced or rewritten",
              from, head.source(), head.head().sequence(), head.head().hash()));
    }
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
