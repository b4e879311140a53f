package io.burnguard.agent.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures which rows of the projected tables a write transaction changed, so that the commit hook
 * can chain each of them before the commit (issue 11: no change of a projected table without its
 * chain entry in the same transaction).
 *
 * <p>Design: TEMP triggers on the writer connection append the ref of every inserted, updated or
 * deleted row to a TEMP table. TEMP objects live only in that connection, never in the database
 * file, so nobody can disable them by editing the file, and they roll back with the transaction.
 * Code that records a named event ({@code burn.started}) chains the row itself with {@link
 * AuditChain#appendRow}, which takes the ref off the journal; whatever is left at commit is chained
 * with the table's default kind, so a store that forgets to chain (or a new one) still cannot
 * change a projection silently. Changes made by other connections (the sqlite3 command line) are
 * not captured: those are exactly what {@code audit verify} reports.
 */
final class RowJournal {
  static final String TABLE = "temp.bg_row_journal";

  private RowJournal() {}

  /** Creates the journal and its triggers on {@code c} (the writer, outside a transaction). */
  static Void install(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TEMP TABLE IF NOT EXISTS bg_row_journal(n INTEGER PRIMARY KEY,"
              + " ref TEXT NOT NULL, tbl TEXT NOT NULL, k1, k2)");
      s.execute("CREATE INDEX IF NOT EXISTS temp.bg_row_journal_ref ON bg_row_journal(ref)");
      for (Projection p : Projection.ALL) {
        String oldRow = insert(p, "OLD");
        String newRow = insert(p, "NEW");
        s.execute(trigger(p, "i", "INSERT", newRow));
        s.execute(trigger(p, "u", "UPDATE", oldRow + newRow));
        s.execute(trigger(p, "d", "DELETE", oldRow));
      }
    }
    return null;
  }

  private static String trigger(Projection p, String suffix, String event, String body) {
    return "CREATE TEMP TRIGGER IF NOT EXISTS bg_j_"
        + p.table()
        + "_"
        + suffix
        + " AFTER "
        + event
        + " ON main."
        + p.table()
        + " BEGIN "
        + body
        + " END";
  }

  /**
   * Journals the ref once. Not {@code INSERT OR IGNORE}: inside a trigger the outer statement's
   * conflict policy wins, and an UPSERT's is ABORT.
   */
  private static String insert(Projection p, String row) {
    String k2 = p.keys().size() > 1 ? row + "." + p.keys().get(1) : "NULL";
    String ref = p.refSql(row);
    return "INSERT INTO bg_row_journal(ref, tbl, k1, k2) SELECT "
        + ref
        + ", '"
        + p.table()
        + "', "
        + row
        + "."
        + p.keys().get(0)
        + ", "
        + k2
        + " WHERE NOT EXISTS (SELECT 1 FROM bg_row_journal WHERE ref = "
        + ref
        + ");";
  }

  /** Takes {@code ref} off the journal: its row was chained by a named event. */
  static void done(Connection c, String ref) throws SQLException {
    try (PreparedStatement d = c.prepareStatement("DELETE FROM " + TABLE + " WHERE ref = ?")) {
      d.setString(1, ref);
      d.executeUpdate();
    }
  }

  /**
   * Chains every row still on the journal with its table's default kind, then empties it. Reads the
   * journal in batches, so a bulk statement that changed millions of rows is chained in bounded
   * memory.
   */
  static void drain(Connection c, AuditChain chain) throws SQLException {
    long after = 0;
    boolean any = false;
    while (true) {
      List<Object[]> batch = new ArrayList<>();
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT n, tbl, k1, k2 FROM " + TABLE + " WHERE n > ? ORDER BY n LIMIT 1000")) {
        q.setLong(1, after);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            after = rs.getLong(1);
            batch.add(new Object[] {rs.getString(2), rs.getObject(3), rs.getObject(4)});
          }
        }
      }
      if (batch.isEmpty()) {
        break;
      }
      any = true;
      for (Object[] r : batch) {
        Projection p = Projection.of((String) r[0]).orElseThrow();
        Object[] key = p.keys().size() > 1 ? new Object[] {r[1], r[2]} : new Object[] {r[1]};
        chain.appendRow(c, p.defaultKind(), p, key, false);
      }
    }
    if (any) {
      try (Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM " + TABLE);
      }
    }
  }
}
