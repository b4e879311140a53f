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
import java.util.function.Predicate;

/**
 * Factory-wide reads of the fleet ledger (qa, security), as a reader role. A burn's or an alert's
 * current state is its latest chained row image ({@code burns/<id>}, {@code alerts/<id>}) per
 * station. Rows stream from a server-side cursor to a {@link RowSink}: sorting happens in
 * PostgreSQL, so the heap stays constant however many units a recall lists.
 */
public final class FleetQueries {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FETCH = 1000;
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
  static final List<String> ALERT_COLUMNS =
      List.of("created_at", "severity", "kind", "message", "acknowledged_at", "acknowledged_by");

  private FleetQueries() {}

  /** Every burn of {@code barcode} on any station, newest first; returns the row count. */
  public static long trace(Connection c, String barcode, RowSink sink)
      throws SQLException, IOException {
    Where w = new Where("burn_keys IS NOT NULL").and("burn_keys[1] = ?", barcode);
    return stream(
        c, latest(w), new Where("true"), "r ->> 'started_at' DESC, station_id", BURN_COLUMNS, sink);
  }

  /**
   * Units whose latest burn of the filter's firmware PASSED, on any station (the recall list),
   * ordered by barcode; returns the row count.
   *
   * <p>PostgreSQL sorts only narrow rows (the latest entry of each burn by index, then by barcode)
   * and fetches each payload by primary key in that order; the outcome and start time are read from
   * the row image here, which is parsed for the output anyway.
   */
  public static long units(Connection c, UnitFilter f, RowSink sink)
      throws SQLException, IOException {
    Where w =
        new Where("burn_keys IS NOT NULL")
            .and("burn_keys[2] = ?", f.firmware())
            .and("burn_keys[3] = ?", f.version())
            .and("station_id = ?", f.station());
    String sql =
        "SELECT l.station_id, l.seq, l.ref, e.payload FROM (SELECT * FROM (SELECT DISTINCT ON"
            + " (station_id, ref) station_id, ref, seq, burn_keys[1] AS barcode FROM fleet_entries"
            + " WHERE "
            + w.sql()
            + " ORDER BY station_id, ref, seq DESC) d ORDER BY barcode, station_id, seq) l"
            + " CROSS JOIN LATERAL (SELECT payload FROM fleet_entries x"
            + " WHERE x.station_id = l.station_id AND x.seq = l.seq) e"
            + " ORDER BY l.barcode, l.station_id, l.seq";
    String since = f.sinceText();
    Predicate<Map<String, Object>> keep =
        m ->
            "PASSED".equals(m.get("outcome"))
                && (since == null || text(m, "started_at").compareTo(since) >= 0);
    return stream(c, sql, w.args(), BURN_COLUMNS, keep, sink);
  }

  private static String text(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? "" : v.toString();
  }

  /** Alerts of every station (or one), newest first; returns the row count. */
  public static long alerts(Connection c, AlertFilter f, RowSink sink)
      throws SQLException, IOException {
    Where w = new Where("ref LIKE 'alerts/%'").and("station_id = ?", f.station());
    Where outer =
        new Where("r IS NOT NULL")
            .and("r ->> 'created_at' >= ?", f.sinceText())
            .and("r ->> 'severity' = ?", f.severity());
    if (f.openOnly()) {
      outer = outer.and("r ->> 'acknowledged_at' IS NULL");
    }
    return stream(c, latest(w), outer, "r ->> 'created_at' DESC, station_id", ALERT_COLUMNS, sink);
  }

  /** A WHERE clause and its string parameters; a condition with a null value is left out. */
  record Where(String sql, List<String> args) {
    Where(String first) {
      this(first, List.of());
    }

    Where and(String cond, String value) {
      if (value == null) {
        return this;
      }
      List<String> a = new ArrayList<>(args);
      a.add(value);
      return new Where(sql + " AND " + cond, a);
    }

    Where and(String cond) {
      return new Where(sql + " AND " + cond, args);
    }
  }

  private static Where latest(Where w) {
    return new Where(
        "SELECT DISTINCT ON (station_id, ref) station_id, seq, ref, payload FROM fleet_entries"
            + " WHERE "
            + w.sql()
            + " ORDER BY station_id, ref, seq DESC",
        w.args());
  }

  /** Latest row images matching {@code inner}, filtered by {@code outer} on their row r. */
  private static long stream(
      Connection c, Where inner, Where outer, String order, List<String> cols, RowSink sink)
      throws SQLException, IOException {
    String sql =
        "SELECT station_id, seq, ref, payload FROM ("
            + inner.sql()
            + ") latest, LATERAL (SELECT payload::jsonb -> 'row' AS r) img WHERE "
            + outer.sql()
            + " ORDER BY "
            + order;
    List<String> args = new ArrayList<>(inner.args());
    args.addAll(outer.args());
    return stream(c, sql, args, cols, m -> true, sink);
  }

  private static long stream(
      Connection c,
      String sql,
      List<String> args,
      List<String> cols,
      Predicate<Map<String, Object>> keep,
      RowSink sink)
      throws SQLException, IOException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false); // a cursor: rows arrive FETCH at a time
    long n = 0;
    try (PreparedStatement q = c.prepareStatement(sql)) {
      q.setFetchSize(FETCH);
      for (int i = 0; i < args.size(); i++) {
        q.setString(i + 1, args.get(i));
      }
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> m =
              row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), cols);
          if (keep.test(m)) {
            sink.accept(m);
            n++;
          }
        }
      }
      c.commit();
    } finally {
      if (auto) {
        c.rollback();
        c.setAutoCommit(true);
      }
    }
    return n;
  }

  private static Map<String, Object> row(
      String station, long seq, String ref, String payload, List<String> cols) throws SQLException {
    JsonNode row;
    try {
      row = JSON.readTree(payload).path("row");
    } catch (IOException e) {
      throw new SQLException(
          "entry " + seq + " of " + station + " (" + ref + ") is not a row image", e);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("station", station);
    m.put("chainSeq", seq);
    m.put("ref", ref);
    for (String col : cols) {
      JsonNode v = row.path(col);
      m.put(col, v.isMissingNode() || v.isNull() ? null : v.asText());
    }
    return m;
  }

  /** Per station: shipped entries, last shipped and last anchored, lag, open flags. */
  public static long status(Connection c, RowSink sink) throws SQLException, IOException {
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
    long n = 0;
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
        sink.accept(m);
        n++;
      }
    }
    return n;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }
}
