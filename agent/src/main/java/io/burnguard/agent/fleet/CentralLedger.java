package io.burnguard.agent.fleet;

import io.burnguard.agent.audit.AuditEntry;
import io.burnguard.agent.audit.AuditHead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The station's side of the central schema (docs/fleet.md): inserts a batch of chain entries and a
 * signed head as the station's role, and checks that the central side now holds exactly them.
 */
final class CentralLedger {
  private CentralLedger() {}

  /**
   * Inserts {@code batch} (chain order) in one transaction, then confirms every entry is stored
   * identically.
   *
   * @throws FleetRefused when an entry is missing afterwards (the station is flagged) or differs
   */
  static void ship(Connection c, String station, List<AuditEntry> batch)
      throws SQLException, FleetRefused {
    c.setAutoCommit(false);
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO fleet_entries(station_id, seq, at, kind, ref, payload, payload_hash,"
                + " prev_hash, entry_hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (station_id, seq) DO NOTHING")) {
      for (AuditEntry e : batch) {
        ins.setString(1, station);
        ins.setLong(2, e.seq());
        ins.setString(3, e.at());
        ins.setString(4, e.kind());
        ins.setString(5, e.ref());
        ins.setString(6, e.payload());
        ins.setString(7, e.payloadHash());
        ins.setString(8, e.prevHash());
        ins.setString(9, e.entryHash());
        ins.setString(10, e.signature());
        ins.addBatch();
      }
      ins.executeBatch();
      c.commit();
    } catch (SQLException e) {
      rollbackQuietly(c);
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
    confirm(c, station, batch);
  }

  private static void confirm(Connection c, String station, List<AuditEntry> batch)
      throws SQLException, FleetRefused {
    long first = batch.get(0).seq();
    long last = batch.get(batch.size() - 1).seq();
    List<String[]> stored = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT seq, entry_hash, signature FROM fleet_entries WHERE station_id = ?"
                + " AND seq BETWEEN ? AND ? ORDER BY seq")) {
      q.setString(1, station);
      q.setLong(2, first);
      q.setLong(3, last);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          stored.add(new String[] {Long.toString(rs.getLong(1)), rs.getString(2), rs.getString(3)});
        }
      }
    }
    int i = 0;
    for (AuditEntry e : batch) {
      String[] s = i < stored.size() ? stored.get(i) : null;
      if (s == null || Long.parseLong(s[0]) != e.seq()) {
        throw new FleetRefused(
            "the fleet ledger did not store entry " + e.seq() + " of " + station + refusal(c));
      }
      if (!s[1].equals(e.entryHash()) || !s[2].equals(e.signature())) {
        throw new FleetRefused(
            "the fleet ledger holds a different entry "
                + e.seq()
                + " for "
                + station
                + " (entry hash "
                + s[1]
                + ", this station has "
                + e.entryHash()
                + ")"
                + refusal(c));
      }
      i++;
    }
  }

  /**
   * Anchors a signed head.
   *
   * @throws FleetRefused when the central side did not accept it as extending the last one
   */
  static void anchor(Connection c, String station, AuditHead head)
      throws SQLException, FleetRefused {
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO fleet_heads(station_id, seq, hash, at, public_key, signature)"
                + " VALUES (?, ?, ?, ?, ?, ?) RETURNING accepted")) {
      ins.setString(1, station);
      ins.setLong(2, head.sequence());
      ins.setString(3, head.hash());
      ins.setString(4, head.at());
      ins.setString(5, head.publicKey());
      ins.setString(6, head.signature());
      try (ResultSet rs = ins.executeQuery()) {
        if (!rs.next() || !rs.getBoolean(1)) {
          throw new FleetRefused(
              "the fleet ledger did not accept head " + head.sequence() + refusal(c));
        }
      }
    }
  }

  /** The station's open flags, as a message suffix ("" when none). */
  static String refusal(Connection c) throws SQLException {
    StringBuilder sb = new StringBuilder();
    try (PreparedStatement q =
            c.prepareStatement(
                "SELECT seq, reason FROM fleet_flags WHERE station_id = fleet_current_station()"
                    + " AND acknowledged_at IS NULL ORDER BY id");
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        sb.append(sb.length() == 0 ? "; the station is flagged: " : "; ").append(rs.getString(2));
      }
    }
    if (sb.length() > 0) {
      sb.append("; its entries are refused until security acknowledges (burnguard fleet ack)");
    }
    return sb.toString();
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the caller reconnects
    }
  }
}
