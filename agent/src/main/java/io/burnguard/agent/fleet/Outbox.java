package io.burnguard.agent.fleet;

import io.burnguard.agent.audit.AuditEntry;
import io.burnguard.agent.audit.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The station's SQLite as the outbox: the audit chain is what is shipped, and {@code fleet_outbox}
 * (one row) remembers the last sequence the central side confirmed.
 *
 * <p>The state table is created by the shipper at start ({@code CREATE TABLE IF NOT EXISTS}), not
 * by a station migration: it is not ledger data, is not chained, and a station without a fleet
 * section never has it.
 */
final class Outbox {
  static final String STATE_DDL =
      "CREATE TABLE IF NOT EXISTS fleet_outbox (id INTEGER PRIMARY KEY CHECK (id = 1),"
          + " shipped_seq INTEGER NOT NULL, shipped_hash TEXT NOT NULL, shipped_at TEXT NOT NULL)";

  private Outbox() {}

  static Void createState(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(STATE_DDL);
    }
    return null;
  }

  /** The last sequence confirmed centrally (0 when nothing was shipped yet). */
  static long shippedSeq(Connection c) throws SQLException {
    if (!hasState(c)) {
      return 0;
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT shipped_seq FROM fleet_outbox WHERE id = 1")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static boolean hasState(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'fleet_outbox'")) {
      return rs.next();
    }
  }

  static Void markShipped(Connection c, AuditEntry last, Instant now) throws SQLException {
    try (PreparedStatement up =
        c.prepareStatement(
            "INSERT INTO fleet_outbox(id, shipped_seq, shipped_hash, shipped_at) VALUES (1, ?, ?,"
                + " ?) ON CONFLICT(id) DO UPDATE SET shipped_seq = excluded.shipped_seq,"
                + " shipped_hash = excluded.shipped_hash, shipped_at = excluded.shipped_at")) {
      up.setLong(1, last.seq());
      up.setString(2, last.entryHash());
      up.setString(3, Timestamps.format(now));
      up.executeUpdate();
    }
    return null;
  }

  /** Up to {@code limit} entries after {@code after}, in chain order. */
  static List<AuditEntry> batch(Connection c, long after, int limit) throws SQLException {
    List<AuditEntry> out = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT seq, at, kind, ref, payload, payload_hash, prev_hash, entry_hash, signature"
                + " FROM audit_chain WHERE seq > ? ORDER BY seq LIMIT ?")) {
      q.setLong(1, after);
      q.setInt(2, limit);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AuditEntry(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8),
                  rs.getString(9)));
        }
      }
    }
    return out;
  }

  /** How far shipping is behind the chain, at {@code now}. */
  static FleetLag lag(Connection c, Instant now) throws SQLException {
    long shipped = shippedSeq(c);
    try (PreparedStatement q =
        c.prepareStatement("SELECT count(*), min(at) FROM audit_chain WHERE seq > ?")) {
      q.setLong(1, shipped);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        long n = rs.getLong(1);
        String oldest = rs.getString(2);
        Duration age =
            oldest == null ? Duration.ZERO : Duration.between(Timestamps.parse(oldest), now);
        return new FleetLag(shipped, n, age.isNegative() ? Duration.ZERO : age);
      }
    }
  }
}
