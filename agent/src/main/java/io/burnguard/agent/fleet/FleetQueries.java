package io.burnguard.agent.fleet;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Factory-wide reads of the fleet ledger (qa, security), as a reader role. A burn's or an alert's
 * current state is its latest chained row image ({@code burns/<id>}, {@code alerts/<id>}) per
 * station. Rows stream from a server-side cursor to a {@link RowSink}: sorting happens in
 * PostgreSQL, so the heap stays constant however many units a recall lists.
 */
public final class FleetQueries {
  /** Output columns that are not read from the row image. */
  private static final Set<String> RESERVED = Set.of("station", "chainSeq", "ref");

  private static final int FETCH = 1000;

  /**
   * Sort memory for a recall's transaction: 100k narrow rows (about 12 MB) sort in memory instead
   * of in temporary files (the server default is 4 MB).
   */
  static final String RECALL_WORK_MEM = "64MB";

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

  /**
   * Every burn of {@code barcode} on any station, newest first; returns the row count. One round
   * trip, no cursor: a barcode has a handful of burns.
   */
  public static long trace(Connection c, String barcode, RowSink sink)
      throws SQLException, IOException {
    Where w = new Where("burn_keys IS NOT NULL").and("burn_keys[1] = ?", barcode);
    Query q = latest(w, new Where("true"), "r ->> 'started_at' DESC, station_id", false);
    return stream(c, q, image(BURN_COLUMNS), sink);
  }

  /**
   * Units whose latest burn of the filter's firmware PASSED, on any station (the recall list),
   * ordered by barcode; returns the row count.
   *
   * <p>Everything a recall lists is in the burn keys PostgreSQL generates from each burn payload
   * (schema V4), and the covering index {@code fleet_entries_recall} holds them: the latest entry
   * of each burn comes from an index-only scan already in (version, station, ref, newest) order (a
   * burn has one firmware version, so that is the same as per station and ref), is filtered on its
   * outcome and start time, and the narrow rows are sorted by barcode in memory ({@link
   * #RECALL_WORK_MEM}). No payload is read or sent.
   */
  public static long units(Connection c, UnitFilter f, RowSink sink)
      throws SQLException, IOException {
    return stream(c, unitsQuery(f), FleetQueries::unitRow, sink);
  }

  /** The recall's statement for {@code f}. */
  static Query unitsQuery(UnitFilter f) {
    Where w =
        new Where("burn_keys IS NOT NULL")
            .and("burn_keys[2] = ?", f.firmware())
            .and("burn_keys[3] = ?", f.version())
            .and("station_id = ?", f.station());
    // timestamps compare as text, byte by byte as in the station ledger, whatever the collation
    Where latest =
        new Where("k[" + BurnKeys.position("outcome") + "] = 'PASSED'")
            .and("k[" + BurnKeys.position("started_at") + "] COLLATE \"C\" >= ?", f.sinceText());
    StringBuilder cols = new StringBuilder();
    for (String col : BURN_COLUMNS) {
      cols.append(", k[").append(BurnKeys.position(col)).append(']');
    }
    String sql =
        "SELECT station_id, seq, ref"
            + cols
            + " FROM (SELECT DISTINCT ON (burn_keys[3], station_id, ref) station_id, ref, seq,"
            + " burn_keys AS k, burn_keys[1] AS barcode FROM fleet_entries WHERE "
            + w.sql()
            + " ORDER BY burn_keys[3], station_id, ref, seq DESC) d WHERE "
            + latest.sql()
            + " ORDER BY barcode, station_id, seq";
    List<String> args = new ArrayList<>(w.args());
    args.addAll(latest.args());
    return new Query(sql, args, true, RECALL_WORK_MEM);
  }

  /** A recall's output row: station, chain sequence, ref, then {@link #BURN_COLUMNS}. */
  private static Map<String, Object> unitRow(ResultSet rs) throws SQLException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("station", rs.getString(1));
    m.put("chainSeq", rs.getLong(2));
    m.put("ref", rs.getString(3));
    for (int i = 0; i < BURN_COLUMNS.size(); i++) {
      m.put(BURN_COLUMNS.get(i), rs.getString(4 + i));
    }
    return m;
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
    Query q = latest(w, outer, "r ->> 'created_at' DESC, station_id", true);
    return stream(c, q, image(ALERT_COLUMNS), sink);
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

  /**
   * A statement, its string parameters, whether its rows come from a cursor, and the sort memory
   * ({@code work_mem}) for the cursor's transaction, or null for the server's setting.
   */
  record Query(String sql, List<String> args, boolean cursor, String workMem) {}

  /**
   * The latest row image per (station, ref) among the entries {@code inner} selects, filtered by
   * {@code outer} on the image's row r, ordered by {@code order}.
   */
  private static Query latest(Where inner, Where outer, String order, boolean cursor) {
    String sql =
        "SELECT station_id, seq, ref, payload FROM (SELECT DISTINCT ON (station_id, ref)"
            + " station_id, seq, ref, payload FROM fleet_entries WHERE "
            + inner.sql()
            + " ORDER BY station_id, ref, seq DESC) latest,"
            + " LATERAL (SELECT payload::jsonb -> 'row' AS r) img WHERE "
            + outer.sql()
            + " ORDER BY "
            + order;
    List<String> args = new ArrayList<>(inner.args());
    args.addAll(outer.args());
    return new Query(sql, args, cursor, null);
  }

  /**
   * Runs {@code sql} and hands each kept row to the sink. With {@code cursor} the rows come from a
   * server-side cursor {@link #FETCH} at a time (a transaction, and a second round trip for its
   * commit); without, in one round trip, for queries that return a handful of rows ({@code fleet
   * trace}).
   */
  private static long stream(Connection c, Query q, RowReader reader, RowSink sink)
      throws SQLException, IOException {
    if (!q.cursor() || !c.getAutoCommit()) {
      return read(c, q, reader, sink);
    }
    c.setAutoCommit(false); // a cursor: rows arrive FETCH at a time
    try {
      if (q.workMem() != null) {
        try (PreparedStatement s = c.prepareStatement("SELECT set_config('work_mem', ?, true)")) {
          s.setString(1, q.workMem());
          s.execute();
        }
      }
      long n = read(c, q, reader, sink);
      c.commit();
      return n;
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  private static long read(Connection c, Query q, RowReader reader, RowSink sink)
      throws SQLException, IOException {
    long n = 0;
    try (PreparedStatement ps = c.prepareStatement(q.sql())) {
      if (q.cursor()) {
        ps.setFetchSize(FETCH);
      }
      for (int i = 0; i < q.args().size(); i++) {
        ps.setString(i + 1, q.args().get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sink.accept(reader.read(rs));
          n++;
        }
      }
    }
    return n;
  }

  /** Makes an output row of the current row of a result set. */
  @FunctionalInterface
  interface RowReader {
    Map<String, Object> read(ResultSet rs) throws SQLException;
  }

  /** Rows of (station, seq, ref, payload): {@link #row} of the payload's row image. */
  private static RowReader image(List<String> cols) {
    return rs -> row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBytes(4), cols);
  }

  /**
   * The output row of a chained row image: station, chain sequence, ref, then {@code cols} from the
   * image's {@code row} object. Read with the streaming parser from the payload's UTF-8 bytes as
   * they came from the server (the driver always speaks UTF-8): no payload string and no tree per
   * row, for a recall reads 100k of them. Values as the data-binding {@code asText} gives them.
   */
  static Map<String, Object> row(
      String station, long seq, String ref, byte[] payload, List<String> cols) throws SQLException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("station", station);
    m.put("chainSeq", seq);
    m.put("ref", ref);
    for (String col : cols) {
      m.putIfAbsent(col, null);
    }
    try {
      RowImageColumns.read(
          payload,
          (name, v, p) -> {
            if (m.containsKey(name) && !RESERVED.contains(name)) {
              m.put(name, v.isStructStart() ? "" : v == JsonToken.VALUE_NULL ? null : p.getText());
            }
          });
    } catch (IOException e) {
      throw new SQLException(
          "entry "
              + seq
              + " of "
              + station
              + " ("
              + ref
              + ") is not a row image: "
              + e.getMessage(),
          e);
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
