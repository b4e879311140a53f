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
   * Ships {@code batch} (chain order) with one call of {@code fleet_ship} (one statement, one
   * transaction, one round trip), then confirms from its answer that every entry is stored
   * identically.
   *
   * @throws FleetRefused when an entry is missing afterwards (the station is flagged) or differs
   */
  static void ship(Connection c, String station, List<AuditEntry> batch)
      throws SQLException, FleetRefused {
    int n = batch.size();
    Long[] seq = new Long[n];
    String[][] text = new String[8][n];
    for (int i = 0; i < n; i++) {
      AuditEntry e = batch.get(i);
      seq[i] = e.seq();
      text[0][i] = e.at();
      text[1][i] = e.kind();
      text[2][i] = e.ref();
      text[3][i] = e.payload();
      text[4][i] = e.payloadHash();
      text[5][i] = e.prevHash();
      text[6][i] = e.entryHash();
      text[7][i] = e.signature();
    }
    List<String[]> stored = new ArrayList<>(n);
    try (PreparedStatement q =
        c.prepareStatement("SELECT * FROM fleet_ship(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      q.setString(1, station);
      q.setArray(2, c.createArrayOf("bigint", seq));
      for (int k = 0; k < text.length; k++) {
        q.setArray(k + 3, c.createArrayOf("text", text[k]));
      }
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          stored.add(new String[] {Long.toString(rs.getLong(1)), rs.getString(2), rs.getString(3)});
        }
      }
    }
    confirm(c, station, batch, stored);
  }

  private static void confirm(
      Connection c, String station, List<AuditEntry> batch, List<String[]> stored)
      throws SQLException, FleetRefused {
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

  /** The highest sequence of {@code station} stored centrally (0 when none). */
  static long storedTail(Connection c, String station) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT coalesce(max(seq), 0) FROM fleet_entries WHERE station_id = ?")) {
      q.setString(1, station);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
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
}
