package io.burnguard.agent.fleet;

import io.burnguard.agent.audit.AuditChainBroken;
import io.burnguard.agent.audit.AuditEntry;
import io.burnguard.agent.audit.AuditHead;
import io.burnguard.agent.audit.ChainLinks;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fleet audit}: verifies each station's shipped chain in PostgreSQL with the station's
 * registered key, whoever wrote the rows (a station, or the owner with its triggers disabled).
 *
 * <p>Per station, in order, the first problem found is reported:
 *
 * <ol>
 *   <li>the entries from seq 1: no gap, each payload and entry hash recomputed, each link to the
 *       entry before ({@link ChainLinks}); the first bad link, edit or gap is named;
 *   <li>the burn keys PostgreSQL stores beside each burn entry (which {@code fleet trace} and
 *       {@code fleet units} read instead of the payload) must be the keys of its signed payload
 *       ({@link BurnKeys}); the first that differs is named (KEYS_MISMATCH);
 *   <li>signatures: the last entry of the intact prefix must be signed by the registered key (it
 *       commits to every earlier entry); if not, a binary search names the first unsigned entry;
 *   <li>heads: each must be signed by the registered key; an accepted head must match the stored
 *       entry of its sequence, and one beyond the stored chain means entries were cut centrally
 *       (the shipper anchors only what is stored); a head the central side did not accept is a head
 *       that did not extend the anchored one;
 *   <li>open flags raised while shipping (a replaced or rolled-back station database).
 * </ol>
 */
public final class FleetAudit {
  private static final int FETCH = 5000;

  private final Connection c;
  private long entries;
  private Finding keys;

  /**
   * @param reader a connection as a reader role (or the owner)
   */
  public FleetAudit(Connection reader) {
    this.c = reader;
  }

  /** Entries verified so far (for rates). */
  public long entries() {
    return entries;
  }

  /**
   * Audits every registered station, or only {@code station}; returns how many stations fail.
   *
   * @throws IllegalArgumentException when {@code station} is not registered
   */
  public long audit(String station, RowSink sink) throws SQLException, IOException {
    Map<String, byte[]> keys = keys(station);
    if (station != null && keys.isEmpty()) {
      throw new IllegalArgumentException(
          "station " + station + " is not registered in the fleet ledger; see fleet status");
    }
    long failed = 0;
    for (Map.Entry<String, byte[]> k : keys.entrySet()) {
      StationAudit a = station(k.getKey(), k.getValue());
      if (!a.ok()) {
        failed++;
      }
      sink.accept(a.toMap());
    }
    return failed;
  }

  Map<String, byte[]> keys(String station) throws SQLException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT station_id, public_key FROM fleet_stations"
                + " WHERE (?::text IS NULL OR station_id = ?) ORDER BY station_id")) {
      q.setString(1, station);
      q.setString(2, station);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), HexFormat.of().parseHex(rs.getString(2)));
        }
      }
    }
    return out;
  }

  /** Audits one station. */
  StationAudit station(String station, byte[] key) throws SQLException {
    ChainLinks links = new ChainLinks(key);
    AuditEntry[] last = new AuditEntry[1];
    AuditChainBroken broken = walk(station, links, last);
    if (last[0] != null && !links.signed(last[0])) {
      broken = ChainLinks.unsigned(firstUnsigned(station, links, last[0].seq()));
    }
    long[] heads = {0};
    Finding f =
        broken != null
            ? new Finding(broken.problem().name(), broken.sequence(), broken.getMessage())
            : keys;
    if (f == null) {
      f = heads(station, links, heads);
    }
    if (f == null) {
      f = openFlags(station);
    }
    return new StationAudit(station, links.last(), heads[0], f);
  }

  /**
   * Walks the stored chain; returns the first break (null when intact), last[0] = last good; sets
   * {@link #keys} to the first entry of the intact part whose burn keys differ from its payload.
   */
  private AuditChainBroken walk(String station, ChainLinks links, AuditEntry[] last)
      throws SQLException {
    keys = null;
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement q = c.prepareStatement(WALK)) {
      q.setFetchSize(FETCH);
      q.setString(1, station);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          AuditEntry e = entry(rs);
          links.next(e);
          entries++;
          last[0] = e;
          if (keys == null) {
            keys = keys(rs, e);
          }
        }
      }
      return null;
    } catch (AuditChainBroken b) {
      return b;
    } finally {
      c.rollback();
      c.setAutoCommit(auto);
    }
  }

  /** The chain walk's statement: the entry's columns, then its burn keys one by one. */
  private static final String WALK = walkStatement();

  private static String walkStatement() {
    StringBuilder keys = new StringBuilder();
    for (int i = 1; i <= BurnKeys.FIELDS.size(); i++) {
      keys.append(", burn_keys[").append(i).append(']');
    }
    return "SELECT seq, at, kind, ref, payload, payload_hash, prev_hash, entry_hash, signature,"
        + " burn_keys IS NOT NULL"
        + keys
        + " FROM fleet_entries WHERE station_id = ? ORDER BY seq";
  }

  /** A finding when entry {@code e}'s stored burn keys (columns 10..) are not its payload's. */
  private static Finding keys(ResultSet rs, AuditEntry e) throws SQLException {
    boolean stored = rs.getBoolean(10);
    String problem;
    if (stored != BurnKeys.isBurn(e.ref())) {
      problem =
          stored ? "it has burn keys but is not a burn entry" : "it has no burn keys in PostgreSQL";
    } else if (!stored) {
      return null;
    } else {
      String[] k = new String[BurnKeys.FIELDS.size()];
      for (int i = 0; i < k.length; i++) {
        k[i] = rs.getString(11 + i);
      }
      problem = BurnKeys.difference(e.payload(), k);
      if (problem == null) {
        return null;
      }
    }
    return new Finding(
        "KEYS_MISMATCH",
        e.seq(),
        "entry "
            + e.seq()
            + " ("
            + e.ref()
            + "): "
            + problem
            + "; fleet trace and fleet units read these keys, so fleet_entries was altered outside"
            + " BurnGuard: find who changed its schema, then have the owner generate the keys"
            + " again from the payloads as schema migration V4 does");
  }

  private static AuditEntry entry(ResultSet rs) throws SQLException {
    return new AuditEntry(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9));
  }

  /** Valid signatures form a prefix of an intact chain: binary search for the first bad one. */
  private long firstUnsigned(String station, ChainLinks links, long last) throws SQLException {
    long lo = 1;
    long hi = last; // hi is unsigned; everything below lo is signed
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      if (links.signed(at(station, mid))) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  private AuditEntry at(String station, long seq) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT seq, at, kind, ref, payload, payload_hash, prev_hash, entry_hash, signature"
                + " FROM fleet_entries WHERE station_id = ? AND seq = ?")) {
      q.setString(1, station);
      q.setLong(2, seq);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("entry " + seq + " of " + station + " vanished during the audit");
        }
        return entry(rs);
      }
    }
  }

  /** Checks every head in the order received; returns the first bad one, or null. */
  private Finding heads(String station, ChainLinks links, long[] count) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT h.seq, h.hash, h.at, h.public_key, h.signature, h.accepted, h.received_at,"
                + " e.entry_hash FROM fleet_heads h LEFT JOIN fleet_entries e"
                + " ON e.station_id = h.station_id AND e.seq = h.seq"
                + " WHERE h.station_id = ? ORDER BY h.id")) {
      q.setString(1, station);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          count[0]++;
          AuditHead h =
              new AuditHead(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5));
          Finding f = head(h, rs.getBoolean(6), rs.getString(7), rs.getString(8), links);
          if (f != null) {
            return f;
          }
        }
      }
    }
    return null;
  }

  private static Finding head(
      AuditHead h, boolean accepted, String received, String stored, ChainLinks links) {
    long s = h.sequence();
    long last = links.last();
    String id = "head " + s + " (signed " + h.at() + ", received " + received + ")";
    if (!links.signed(h)) {
      return new Finding("BAD_HEAD", s, id + " is not signed by the registered station key");
    }
    if (!accepted) {
      return new Finding(
          "HEAD_NOT_EXTENDED",
          s,
          id
              + " does not extend the head anchored before it: the station's chain was"
              + " truncated, rolled back, replaced or re-keyed");
    }
    if (s > last) {
      return new Finding(
          "TAIL_CUT",
          last + 1,
          id
              + " records entry "
              + s
              + " but the stored chain ends at "
              + last
              + ": entries "
              + (last + 1)
              + ".."
              + s
              + " were removed from the fleet ledger");
    }
    if (s > 0 && !h.hash().equals(stored)) {
      return new Finding(
          "HEAD_MISMATCH",
          s,
          id
              + " records hash "
              + h.hash()
              + " but stored entry "
              + s
              + " has "
              + stored
              + ": the stored chain was rewritten");
    }
    return null;
  }

  /** Open flags as one finding at the first flagged sequence, or null. */
  private Finding openFlags(String station) throws SQLException {
    long seq = -1;
    List<String> reasons = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT coalesce(seq, 0), reason FROM fleet_flags WHERE station_id = ?"
                + " AND acknowledged_at IS NULL ORDER BY id")) {
      q.setString(1, station);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          seq = seq < 0 ? rs.getLong(1) : seq;
          reasons.add(rs.getString(2));
        }
      }
    }
    return reasons.isEmpty()
        ? null
        : new Finding(
            "FLAGGED",
            seq,
            String.join("; ", reasons)
                + "; the station's entries are refused until security acknowledges (fleet ack)");
  }
}
