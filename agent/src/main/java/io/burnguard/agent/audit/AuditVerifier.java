package io.burnguard.agent.audit;

import io.burnguard.agent.audit.AuditChainBroken.Problem;
import io.burnguard.agent.db.DatabaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sqlite.SQLiteConfig;

/**
 * Verifies the audit chain from the rows themselves.
 *
 * <p>Design:
 *
 * <ol>
 *   <li><b>Structure, every row.</b> Walk in sequence order; for each row recompute the payload
 *       hash from the payload and the entry hash from all fields, and check that the sequence is
 *       the previous + 1 and that {@code prev_hash} equals the previous row's recomputed hash. The
 *       first failure is the structural break at {@code h}.
 *   <li><b>Signatures, O(log n) by default.</b> Rows before {@code h} form a consistent chain, so
 *       each entry hash commits to every earlier entry. If the last of them is signed by the
 *       station key, all of them are exactly what the station signed. If not, then the valid
 *       signatures form a prefix (every row after an altered one has a new hash its old signature
 *       does not cover), so a binary search finds the first unsigned row. This keeps verification
 *       at SHA-256 speed (Ed25519 verification runs about 17k/s on one core); {@code allSignatures}
 *       checks every row instead.
 *   <li><b>Heads.</b> The chain cannot show a cut tail, so each head (the file beside the database,
 *       any exported one) must be signed by the trusted key, and its sequence must exist in the
 *       chain with the same hash.
 * </ol>
 *
 * The verifier trusts only the public key it is given (the registered one), never a key found in a
 * head or in the database.
 */
public final class AuditVerifier {
  private final byte[] publicKey;
  private final boolean allSignatures;

  /**
   * @param publicKey the trusted raw Ed25519 public key of the station
   * @param allSignatures verify every entry's signature instead of the O(log n) search
   */
  public AuditVerifier(byte[] publicKey, boolean allSignatures) {
    this.publicKey = publicKey.clone();
    this.allSignatures = allSignatures;
  }

  /**
   * Verifies a database file offline (read-only), against the head file beside it and any exported
   * heads. The head file beside the database must exist once the chain has entries: the daemon
   * rewrites it after every append, so its absence is itself a sign of tampering.
   *
   * @throws AuditChainBroken naming the first bad sequence
   * @throws IOException when a head file cannot be read
   * @throws DatabaseException when the database cannot be opened or read
   */
  public AuditVerification verifyDatabase(Path dbFile, List<Path> exportedHeads)
      throws AuditChainBroken, IOException, DatabaseException {
    List<NamedHead> exported = new ArrayList<>();
    for (Path p : exportedHeads) {
      exported.add(new NamedHead(p.toString(), AuditHead.read(p)));
    }
    return verifyDatabaseAgainst(dbFile, exported);
  }

  /** As {@link #verifyDatabase}, with exported heads already read (e.g. sent by a client). */
  public AuditVerification verifyDatabaseAgainst(Path dbFile, List<NamedHead> exportedHeads)
      throws AuditChainBroken, IOException, DatabaseException {
    if (!Files.isRegularFile(dbFile)) {
      throw new DatabaseException(
          "the database " + dbFile + " does not exist; give the station's database with --db");
    }
    List<NamedHead> heads = new ArrayList<>();
    Path beside = AuditChain.headFileFor(dbFile);
    boolean besidePresent = Files.exists(beside);
    if (besidePresent) {
      heads.add(new NamedHead(beside.toString(), AuditHead.read(beside)));
    }
    heads.addAll(exportedHeads);
    SQLiteConfig cfg = new SQLiteConfig();
    cfg.setReadOnly(true);
    cfg.setBusyTimeout(5000);
    AuditVerification v;
    try (Connection c = cfg.createConnection("jdbc:sqlite:" + dbFile)) {
      c.setAutoCommit(false); // one read snapshot: the chain walked is the chain compared
      v = verify(c, heads);
    } catch (SQLException e) {
      throw new DatabaseException(
          "the database " + dbFile + " cannot be read for verification: " + e.getMessage(), e);
    }
    if (!besidePresent && v.entries() > 0) {
      throw new AuditChainBroken(
          Problem.BAD_HEAD,
          v.lastSequence() + 1,
          fmt(
              "the head file %s is missing although the chain has %d entries; entries from %d on"
                  + " may have been cut off; compare with an exported head: --head FILE",
              beside, v.entries(), v.lastSequence() + 1));
    }
    return v;
  }

  /**
   * {@code audit verify --unit BARCODE}: verifies that unit's burn rows and their chain entries
   * against the newest signed head (the file beside the database, or an exported one), without
   * walking the whole chain ({@link UnitVerifier}).
   *
   * @throws AuditChainBroken when an entry, its link to the head or a row does not verify
   */
  public UnitVerification verifyUnit(Path dbFile, String barcode, List<NamedHead> exportedHeads)
      throws AuditChainBroken, IOException, DatabaseException {
    if (!Files.isRegularFile(dbFile)) {
      throw new DatabaseException(
          "the database " + dbFile + " does not exist; give the station's database with --db");
    }
    List<NamedHead> heads = new ArrayList<>(exportedHeads);
    Path beside = AuditChain.headFileFor(dbFile);
    if (Files.exists(beside)) {
      heads.add(new NamedHead(beside.toString(), AuditHead.read(beside)));
    }
    SQLiteConfig cfg = new SQLiteConfig();
    cfg.setReadOnly(true);
    cfg.setBusyTimeout(5000);
    try (Connection c = cfg.createConnection("jdbc:sqlite:" + dbFile)) {
      c.setAutoCommit(false);
      return new UnitVerifier(this).verify(c, barcode, heads);
    } catch (SQLException e) {
      throw new DatabaseException(
          "the database " + dbFile + " cannot be read for verification: " + e.getMessage(), e);
    }
  }

  byte[] publicKey() {
    return publicKey.clone();
  }

  /** A head and where it came from, for messages. */
  public record NamedHead(String source, AuditHead head) {}

  /**
   * Verifies the chain on {@code c} and compares it against {@code heads}.
   *
   * @throws AuditChainBroken naming the first bad sequence
   * @throws SQLException when the database cannot be read
   */
  public AuditVerification verify(Connection c, List<NamedHead> heads)
      throws AuditChainBroken, SQLException {
    MessageDigest md = EntryCodec.sha256();
    long expected = 1;
    byte[] prev = new byte[32];
    long sigs = 0;
    AuditChainBroken structural = null;
    try (PreparedStatement q = c.prepareStatement(WALK_SQL);
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        long seq = rs.getLong(1);
        structural = checkRow(md, rs, seq, expected, prev);
        if (structural != null) {
          break;
        }
        byte[] entryHash = storedHash(rs, 8);
        if (allSignatures) {
          sigs++;
          if (!signed(entryHash, rs.getString(9))) {
            throw new AuditChainBroken(Problem.BAD_SIGNATURE, seq, unsignedMessage(seq));
          }
        }
        prev = entryHash;
        expected = seq + 1;
      }
    }
    long last = expected - 1;
    if (!allSignatures && last > 0) {
      long[] result = firstUnsigned(c, last);
      sigs = result[1];
      if (result[0] > 0) {
        throw new AuditChainBroken(Problem.BAD_SIGNATURE, result[0], unsignedMessage(result[0]));
      }
    }
    if (structural != null) {
      throw structural;
    }
    List<String> checked = new ArrayList<>();
    for (NamedHead h : heads) {
      checkHead(c, h, last, prev);
      checked.add(h.source());
    }
    ProjectionVerifier pv = new ProjectionVerifier();
    List<RowDifference> diffs = pv.verify(c, Projection.ALL);
    if (pv.total() > 0) {
      throw ProjectionVerifier.broken(diffs, pv.total(), LedgerSnapshot.present(c));
    }
    return new AuditVerification(
        expected - 1, last, EntryCodec.HEX.formatHex(prev), sigs, checked, pv.rows());
  }

  /**
   * The chain walk: SQLite decodes the three hashes ({@code unhex}, NULL for anything but hex
   * digits), so the walk does not parse hex in Java; {@link #checkRow} takes either form.
   */
  static final String WALK_SQL =
      "SELECT seq, at, kind, ref, payload, unhex(payload_hash), unhex(prev_hash),"
          + " unhex(entry_hash), signature FROM audit_chain ORDER BY seq";

  /** A stored 32-byte hash in column {@code i}: 64 hex digits, or their bytes; else null. */
  static byte[] storedHash(ResultSet rs, int i) throws SQLException {
    Object v = rs.getObject(i);
    if (v instanceof byte[] b) {
      return b.length == 32 ? b : null;
    }
    return v instanceof String s ? EntryCodec.hash32(s) : null;
  }

  static AuditChainBroken checkRow(
      MessageDigest md, ResultSet rs, long seq, long expected, byte[] prev) throws SQLException {
    if (seq != expected) {
      return new AuditChainBroken(
          Problem.MISSING,
          expected,
          fmt(
              "audit entry %d is missing: the chain goes from %d to %d; entries %d..%d were"
                  + " deleted",
              expected, expected - 1, seq, expected, seq - 1));
    }
    byte[] storedPayloadHash = storedHash(rs, 6);
    byte[] storedPrev = storedHash(rs, 7);
    byte[] storedEntry = storedHash(rs, 8);
    if (storedPayloadHash == null || storedPrev == null || storedEntry == null) {
      return new AuditChainBroken(
          Problem.MALFORMED, seq, fmt("audit entry %d has a hash column that is not 64 hex", seq));
    }
    if (!MessageDigest.isEqual(storedPrev, prev)) {
      return new AuditChainBroken(
          Problem.BROKEN_LINK,
          seq,
          fmt(
              "audit entry %d does not follow entry %d (it names previous hash %s, entry %d"
                  + " hashes to %s): rows were inserted, deleted or reordered at %d",
              seq,
              seq - 1,
              EntryCodec.HEX.formatHex(storedPrev),
              seq - 1,
              EntryCodec.HEX.formatHex(prev),
              seq));
    }
    byte[] payload = rs.getBytes(5); // a TEXT column's bytes are its UTF-8 encoding
    if (payload == null) {
      return new AuditChainBroken(
          Problem.MALFORMED, seq, fmt("audit entry %d has no payload (NULL)", seq));
    }
    byte[] payloadHash = EntryCodec.payloadHash(md, payload);
    byte[] entryHash =
        EntryCodec.entryHash(
            md, seq, rs.getBytes(2), rs.getBytes(3), rs.getBytes(4), payloadHash, prev);
    if (!MessageDigest.isEqual(payloadHash, storedPayloadHash)
        || !MessageDigest.isEqual(entryHash, storedEntry)) {
      return new AuditChainBroken(
          Problem.EDITED,
          seq,
          fmt(
              "audit entry %d (%s %s) was edited: its content hashes to %s but the chain"
                  + " recorded %s",
              seq,
              rs.getString(3),
              rs.getString(4),
              EntryCodec.HEX.formatHex(entryHash),
              EntryCodec.HEX.formatHex(storedEntry)));
    }
    return null;
  }

  /** Returns {first unsigned sequence or 0, signatures checked}. */
  private long[] firstUnsigned(Connection c, long last) throws SQLException {
    long checked = 1;
    if (signedAt(c, last)) {
      return new long[] {0, checked};
    }
    long lo = 1;
    long hi = last; // invariant: hi is unsigned; everything below lo is signed
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      checked++;
      if (signedAt(c, mid)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return new long[] {hi, checked};
  }

  private boolean signedAt(Connection c, long seq) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT entry_hash, signature FROM audit_chain WHERE seq = ?")) {
      q.setLong(1, seq);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() && signed(EntryCodec.hash32(rs.getString(1)), rs.getString(2));
      }
    }
  }

  boolean signed(byte[] entryHash, String signatureHex) {
    if (entryHash == null || signatureHex == null || signatureHex.length() != 128) {
      return false;
    }
    try {
      return StationKey.verify(publicKey, entryHash, EntryCodec.HEX.parseHex(signatureHex));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void checkHead(Connection c, NamedHead named, long last, byte[] lastHash)
      throws AuditChainBroken, SQLException {
    AuditHead h = named.head();
    if (!h.signatureValid(publicKey)) {
      throw new AuditChainBroken(
          Problem.BAD_HEAD,
          h.sequence(),
          fmt(
              "the audit head %s (entry %d) is not signed by the station key: it was altered or"
                  + " comes from another station",
              named.source(), h.sequence()));
    }
    if (h.sequence() > last) {
      throw new AuditChainBroken(
          Problem.TAIL_CUT,
          last + 1,
          fmt(
              "the chain ends at entry %d but the audit head %s (signed %s) records entry %d:"
                  + " entries %d..%d were cut off the end",
              last, named.source(), h.at(), h.sequence(), last + 1, h.sequence()));
    }
    String actual = EntryCodec.ZERO_HASH;
    if (h.sequence() == last) {
      actual = EntryCodec.HEX.formatHex(lastHash);
    } else if (h.sequence() > 0) {
      try (PreparedStatement q =
          c.prepareStatement("SELECT entry_hash FROM audit_chain WHERE seq = ?")) {
        q.setLong(1, h.sequence());
        try (ResultSet rs = q.executeQuery()) {
          actual = rs.next() ? rs.getString(1) : "";
        }
      }
    }
    if (!actual.equals(h.hash())) {
      throw new AuditChainBroken(
          Problem.HEAD_MISMATCH,
          h.sequence(),
          fmt(
              "audit entry %d hashes to %s but the audit head %s (signed %s) recorded %s: the"
                  + " chain was rewritten at or before entry %d",
              h.sequence(), actual, named.source(), h.at(), h.hash(), h.sequence()));
    }
  }

  private static String unsignedMessage(long seq) {
    return fmt(
        "audit entry %d is not signed by the station key: it was forged or inserted, or the"
            + " chain was rewritten from entry %d on",
        seq, seq);
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
