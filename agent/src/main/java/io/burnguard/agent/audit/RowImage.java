package io.burnguard.agent.audit;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The payload of a row entry: the full row of a projected table, typed as SQLite stores it.
 *
 * <pre>
 * upsert:   {"row":{"col":value,...},"table":"burns"}
 * deletion: {"deleted":true,"key":[...],"table":"burns"}
 * </pre>
 *
 * Values keep their SQLite storage class: INTEGER as a JSON integer, REAL as a JSON number, TEXT as
 * a string, BLOB as {@code {"base64":"..."}}, NULL as null. So an edit that only changes a value's
 * type (the integer 1 stored as the text '1') is a difference too. The payload is {@link Canonical}
 * JSON, so the verifier recomputes it from the table row and compares strings; only a mismatch is
 * parsed to name the column.
 */
final class RowImage {
  private RowImage() {}

  /** The row at the cursor, columns {@code 1..count}, by column name. */
  static Map<String, Object> read(ResultSet rs, int count) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    Map<String, Object> row = new TreeMap<>();
    for (int i = 1; i <= count; i++) {
      row.put(md.getColumnName(i), value(rs.getObject(i)));
    }
    return row;
  }

  private static Object value(Object v) {
    if (v instanceof Integer i) {
      return i.longValue();
    }
    if (v instanceof byte[] b) {
      return Map.of("base64", Base64.getEncoder().encodeToString(b));
    }
    return v;
  }

  static String upsert(String table, Map<String, Object> row) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("row", row);
    m.put("table", table);
    return Canonical.json(m);
  }

  static String deletion(String table, List<Object> key) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("deleted", true);
    m.put("key", key);
    m.put("table", table);
    return Canonical.json(m);
  }

  /** Whether a payload records a deletion (cheap test before parsing). */
  static boolean isDeletion(String payload) {
    return payload.startsWith("{\"deleted\":true");
  }
}
