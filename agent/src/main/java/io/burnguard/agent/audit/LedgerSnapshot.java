package io.burnguard.agent.audit;

import io.burnguard.agent.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migration of a database written before its tables were chained (issue 11, "Migration").
 *
 * <p>Once per database, at daemon start, every row of every projected table is chained as it is now
 * (kind {@value #ROW_KIND}), followed by one marker entry (kind {@value #KIND}, ref {@value #REF})
 * that says what was done. From then on the tables are projections of the chain. The snapshot
 * proves only that the rows were so at migration: an edit made before it is laundered into the
 * chain, which is why the marker says so and carries the row counts, and why it is taken only when
 * the chain has no marker yet (the marker is a signed chain entry, so nobody can remove it to force
 * a second snapshot of edited rows). On a new database the snapshot is empty.
 */
public final class LedgerSnapshot {
  static final String KIND = "ledger.snapshot";
  static final String ROW_KIND = "ledger.snapshot.row";
  static final String REF = "ledger/snapshot";
  private static final Logger log = LoggerFactory.getLogger(LedgerSnapshot.class);

  private LedgerSnapshot() {}

  /** Whether the chain on {@code c} already holds the snapshot marker (one index probe). */
  static boolean present(Connection c) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT 1 FROM audit_chain WHERE ref = ? LIMIT 1")) {
      q.setString(1, REF);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Takes the snapshot unless the chain has one; returns the number of rows chained (0 when it was
   * already taken or the tables are empty).
   */
  public static long takeIfAbsent(AuditChain chain) throws DatabaseException {
    long rows =
        chain.write(
            c -> {
              if (present(c)) {
                return -1L;
              }
              Map<String, Object> counts = new LinkedHashMap<>();
              long n = 0;
              for (Projection p : Projection.ALL) {
                long k = chainTable(c, chain, p);
                counts.put(p.table(), k);
                n += k;
              }
              Map<String, Object> marker = new LinkedHashMap<>();
              marker.put("snapshot", true);
              marker.put(
                  "meaning",
                  "rows that existed when this database was upgraded to chained tables (issue"
                      + " 11), chained as found; their history before this entry is not proven"
                      + " by the chain");
              marker.put("rows", counts);
              chain.append(c, KIND, REF, marker);
              return n;
            });
    if (rows > 0) {
      log.warn(
          "ledger snapshot: {} existing row(s) chained as found (kind {}); edits made before"
              + " this upgrade cannot be detected",
          rows,
          ROW_KIND);
    }
    return Math.max(rows, 0);
  }

  private static long chainTable(Connection c, AuditChain chain, Projection p) throws SQLException {
    long n = 0;
    try (PreparedStatement q =
            c.prepareStatement(
                "SELECT * FROM " + p.table() + " ORDER BY " + String.join(", ", p.keys()));
        ResultSet rs = q.executeQuery()) {
      int cols = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = RowImage.read(rs, cols);
        Object[] key = p.keys().stream().map(row::get).toArray();
        chain.append(c, ROW_KIND, p.ref(key), RowImage.upsert(p.table(), row));
        n++;
      }
    }
    return n;
  }
}
