package io.burnguard.agent.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Factory-wide reads of the fleet ledger (qa, security), as a reader role. A burn's current state
 * is its latest chained row image ({@code burns/<id>}) per station.
 */
public final class FleetQueries {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> BURN_COLUMNS =
      List.of(
          "barcode",
          "model",
          "work_order",
          "firmware_name",
          "firmware_version",
          "outcome",
          "started_at",
          "ended_at",
          "operator",
          "fixture");

  private FleetQueries() {}

  /** Every burn of {@code barcode} on any station, newest first. */
  public static List<Map<String, Object>> trace(Connection c, String barcode) throws SQLException {
    return burns(
        c,
        "(payload::jsonb #>> '{row,barcode}') = ?",
        List.of(barcode),
        "started_at DESC, station_id");
  }

  /**
   * Units whose latest burn of {@code firmware} (and {@code version} when given) PASSED, on any
   * station: the recall list.
   */
  public static List<Map<String, Object>> units(Connection c, String firmware, String version)
      throws SQLException {
    String where = "(payload::jsonb #>> '{row,firmware_name}') = ?";
    List<String> args = new ArrayList<>(List.of(firmware));
    if (version != null) {
      where += " AND (payload::jsonb #>> '{row,firmware_version}') = ?";
      args.add(version);
    }
    List<Map<String, Object>> all = burns(c, where, args, "barcode, started_at, station_id");
    all.removeIf(r -> !"PASSED".equals(r.get("outcome")));
    return all;
  }

  private static List<Map<String, Object>> burns(
      Connection c, String where, List<String> args, String order) throws SQLException {
    String sql =
        "SELECT station_id, seq, ref, payload FROM (SELECT DISTINCT ON (station_id, ref)"
            + " station_id, seq, ref, payload FROM fleet_entries WHERE ref LIKE 'burns/%' AND "
            + where
            + " ORDER BY station_id, ref, seq DESC) latest";
    List<Map<String, Object>> out = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        q.setString(i + 1, args.get(i));
      }
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(burnRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
        }
      }
    }
    out.sort(comparator(order));
    return out;
  }

  private static java.util.Comparator<Map<String, Object>> comparator(String order) {
    java.util.Comparator<Map<String, Object>> by =
        order.startsWith("started_at DESC")
            ? java.util.Comparator.comparing((Map<String, Object> m) -> text(m, "started_at"))
                .reversed()
            : java.util.Comparator.comparing((Map<String, Object> m) -> text(m, "barcode"))
                .thenComparing(m -> text(m, "started_at"));
    return by.thenComparing(m -> text(m, "station"));
  }

  private static String text(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v == null ? "" : v.toString();
  }

  private static Map<String, Object> burnRow(String station, long seq, String ref, String payload)
      throws SQLException {
    JsonNode row;
    try {
      row = JSON.readTree(payload).path("row");
    } catch (IOException e) {
      throw new SQLException("entry " + seq + " of " + station + " is not a row image", e);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("station", station);
    m.put("chainSeq", seq);
    m.put("burn", ref);
    for (String col : BURN_COLUMNS) {
      JsonNode v = row.path(col);
      m.put(col, v.isMissingNode() || v.isNull() ? null : v.asText());
    }
    return m;
  }

  /** Per station: shipped entries, last shipped and last anchored, lag, open flags. */
  public static List<Map<String, Object>> status(Connection c) throws SQLException {
    String sql =
        "SELECT s.station_id, s.role_name,"
            + " (SELECT max(seq) FROM fleet_entries e WHERE e.station_id = s.station_id),"
            + " (SELECT max(received_at) FROM fleet_entries e WHERE e.station_id = s.station_id),"
            + " h.seq, h.received_at,"
            + " (SELECT string_agg(f.reason, ' | ' ORDER BY f.id) FROM fleet_flags f"
            + "   WHERE f.station_id = s.station_id AND f.acknowledged_at IS NULL)"
            + " FROM fleet_stations s LEFT JOIN LATERAL (SELECT seq, received_at FROM fleet_heads"
            + "   WHERE station_id = s.station_id ORDER BY id DESC LIMIT 1) h ON true"
            + " ORDER BY s.station_id";
    List<Map<String, Object>> out = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement(sql);
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        Map<String, Object> m = new LinkedHashMap<>();
        long shipped = rs.getLong(3);
        long head = rs.getLong(5);
        m.put("station", rs.getString(1));
        m.put("role", rs.getString(2));
        m.put("shippedSeq", shipped);
        m.put("lastShipped", str(rs.getObject(4)));
        m.put("headSeq", head);
        m.put("lastSeen", str(rs.getObject(6)));
        m.put("lagEntries", Math.max(0, head - shipped));
        m.put("flagged", rs.getString(7) != null);
        m.put("flags", rs.getString(7));
        out.add(m);
      }
    }
    return out;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }
}
