package io.burnguard.agent.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The payload of a row entry ({@link RowImage#upsert}) rendered by SQLite's {@code json_object}, so
 * that {@code audit verify} compares millions of rows inside SQLite instead of moving every value
 * through JDBC and Jackson (issue 11 benchmark: this was most of the projection pass).
 *
 * <p>Why it is sound: the rendering is only used to pass rows. Equal text means equal values of
 * equal storage class (JSON keeps 1 and "1" and null apart, and the keys are the same sorted
 * names), so a row whose rendering equals the chained payload is the chained row. A row whose
 * rendering differs (a difference, or only a different spelling: SQLite escapes control characters
 * in lower-case hex, prints REAL values its own way) goes to the Java comparison, which decides. A
 * BLOB makes {@code json_object} fail; the caller then compares that table in Java. So this can
 * cost time, never hide a difference.
 */
final class SqlPayload {
  /** json_object takes at most 127 arguments by default, two per column. */
  private static final int MAX_COLUMNS = 60;

  private SqlPayload() {}

  /**
   * The SQL expression over alias {@code t} rendering a row of {@code table} as its canonical
   * payload, or null when the table has BLOB or too many columns (compare in Java then).
   */
  static String expression(Connection c, String table) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement("SELECT name, type FROM pragma_table_info(?)")) {
      q.setString(1, table);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          if (rs.getString(2).toUpperCase(Locale.ROOT).contains("BLOB")) {
            return null;
          }
          names.add(rs.getString(1));
        }
      }
    }
    if (names.isEmpty() || names.size() > MAX_COLUMNS) {
      return null;
    }
    names.sort(String::compareTo); // the order of Canonical's TreeMap
    StringBuilder b = new StringBuilder("json_object('row', json_object(");
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (!n.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        return null;
      }
      b.append(i == 0 ? "" : ", ").append('\'').append(n).append("', t.").append(n);
    }
    return b.append("), 'table', '").append(table).append("')").toString();
  }
}
