package io.burnguard.agent.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.burnguard.agent.audit.RowDifference.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Rebuilds every projected table from the chain and compares it with the table, row by row (issue
 * 11, "Verification covers the projections").
 *
 * <p>Design:
 *
 * <ul>
 *   <li><b>Replay without memory.</b> Every row entry carries the full row, so replaying the chain
 *       for one row is taking its last entry: the index {@code audit_chain(ref, seq)} finds it in
 *       O(log n). No table is held in memory; both passes stream, so a 10M-burn ledger verifies in
 *       a bounded heap.
 *   <li><b>Table to chain.</b> Walk the table by key; for each row take its ref's last entry and
 *       compare the canonical payload recomputed from the row with the chained one (a string
 *       compare; only a difference is parsed, to name the columns). No entry, or a deletion entry,
 *       means an inserted row.
 *   <li><b>Chain to table.</b> Walk the index over the table's ref range, grouped by ref; a ref
 *       whose last entry is a row but which has no table row is a deleted row.
 *   <li><b>Trust.</b> It runs in the same read transaction as the structural walk of {@link
 *       AuditVerifier}, after it proved every entry hashed, linked and signed, so the payloads it
 *       compares against are the signed ones.
 * </ul>
 */
final class ProjectionVerifier {
  static final int MAX_REPORTED = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<RowDifference> found = new ArrayList<>();
  private long total;
  private long rows;

  /** Compares every projected table; returns the differences (at most {@link #MAX_REPORTED}). */
  List<RowDifference> verify(Connection c, List<Projection> projections) throws SQLException {
    for (Projection p : projections) {
      if (!exists(c, p.table())) {
        // A database of an older schema (the daemon of this version adds the table when it
        // opens it): an absent table is an empty one, so every row the chain has is missing.
        chainToTable(c, p, "");
        continue;
      }
      tableToChain(c, p);
      chainToTable(c, p);
    }
    return List.copyOf(found);
  }

  /** The differences found so far (at most {@link #MAX_REPORTED}). */
  List<RowDifference> found() {
    return List.copyOf(found);
  }

  long total() {
    return total;
  }

  /** Table rows compared. */
  long rows() {
    return rows;
  }

  private void tableToChain(Connection c, Projection p) throws SQLException {
    String json = SqlPayload.expression(c, p.table());
    if (json != null) {
      int foundBefore = found.size();
      long totalBefore = total;
      long rowsBefore = rows;
      try {
        tableToChain(c, p, json);
        return;
      } catch (SQLException e) {
        // A value SQLite's JSON cannot hold (a BLOB in a column declared otherwise): compare this
        // table in Java instead, from scratch.
        found.subList(foundBefore, found.size()).clear();
        total = totalBefore;
        rows = rowsBefore;
      }
    }
    tableToChain(c, p, null);
  }

  /**
   * Walks {@code p}'s table by key with each row's last chain entry. With {@code json} (the SQL
   * rendering of the row's payload, {@link SqlPayload}), SQLite compares every row itself and
   * returns only those whose rendering differs from the chained payload; those, or all rows without
   * it, are compared in Java with the canonical payload ({@link RowImage}).
   */
  private void tableToChain(Connection c, Projection p, String json) throws SQLException {
    if (json != null) {
      rows += count(c, p.table());
    }
    String sql =
        "SELECT t.*, a.seq, a.kind, a.payload FROM "
            + p.table()
            + " t LEFT JOIN audit_chain a ON a.seq = (SELECT seq FROM audit_chain WHERE ref = "
            + p.refSql("t")
            + " ORDER BY seq DESC LIMIT 1)"
            + (json == null ? "" : " WHERE a.payload IS NULL OR " + json + " IS NOT a.payload")
            + " ORDER BY "
            + String.join(", ", p.keys().stream().map(k -> "t." + k).toList());
    try (PreparedStatement q = c.prepareStatement(sql);
        ResultSet rs = q.executeQuery()) {
      int n = rs.getMetaData().getColumnCount() - 3;
      while (rs.next()) {
        if (json == null) {
          rows++;
        }
        Map<String, Object> row = RowImage.read(rs, n);
        String expected = RowImage.upsert(p.table(), row);
        String chained = rs.getString(n + 3);
        if (expected.equals(chained)) {
          continue;
        }
        String key = keyOf(p, row);
        long seq = rs.getLong(n + 1);
        String kind = rs.getString(n + 2);
        if (chained == null || RowImage.isDeletion(chained)) {
          add(new RowDifference(Change.INSERTED, p.table(), key, null, expected, null, seq, kind));
        } else {
          columns(p.table(), key, expected, chained, seq, kind);
        }
      }
    }
  }

  private static long count(Connection c, String table) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM " + table);
        ResultSet rs = q.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      q.setString(1, table);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next();
      }
    }
  }

  private void chainToTable(Connection c, Projection p) throws SQLException {
    chainToTable(
        c,
        p,
        " WHERE NOT EXISTS (SELECT 1 FROM "
            + p.table()
            + " t WHERE "
            + p.rowForRefSql("g.ref")
            + ")");
  }

  /** Reports the refs whose last entry is a row and that {@code noRow} (SQL over g.ref) selects. */
  private void chainToTable(Connection c, Projection p, String noRow) throws SQLException {
    String sql =
        "SELECT g.ref, a.seq, a.kind, a.payload FROM (SELECT ref, max(seq) AS m FROM audit_chain"
            + " WHERE ref >= ? AND ref < ? GROUP BY ref) g JOIN audit_chain a ON a.seq = g.m"
            + noRow
            + " ORDER BY a.seq";
    try (PreparedStatement q = c.prepareStatement(sql)) {
      q.setString(1, p.prefix());
      q.setString(2, p.table() + "0"); // '0' follows '/': the range is exactly the prefix
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          String payload = rs.getString(4);
          if (!RowImage.isDeletion(payload)) {
            String key = rs.getString(1).substring(p.prefix().length());
            add(
                new RowDifference(
                    Change.DELETED,
                    p.table(),
                    key,
                    null,
                    null,
                    payload,
                    rs.getLong(2),
                    rs.getString(3)));
          }
        }
      }
    }
  }

  /** Compares one row with its chained payload (for {@link ProjectionGuard}). */
  void compare(Projection p, String key, String expected, String chained, long seq, String kind)
      throws SQLException {
    if (expected.equals(chained)) {
      return;
    }
    if (chained == null || RowImage.isDeletion(chained)) {
      add(new RowDifference(Change.INSERTED, p.table(), key, null, expected, null, seq, kind));
    } else {
      columns(p.table(), key, expected, chained, seq, kind);
    }
  }

  /** Records a row the chain has but the table lost (for {@link ProjectionGuard}). */
  void missing(Projection p, String key, String chained, long seq, String kind) {
    if (!RowImage.isDeletion(chained)) {
      add(new RowDifference(Change.DELETED, p.table(), key, null, null, chained, seq, kind));
    }
  }

  /** Names each differing column of an edited row. */
  private void columns(
      String table, String key, String expected, String chained, long seq, String kind)
      throws SQLException {
    JsonNode mine;
    JsonNode theirs;
    try {
      mine = JSON.readTree(expected).path("row");
      theirs = JSON.readTree(chained).path("row");
    } catch (JsonProcessingException e) {
      throw new SQLException("a chained payload is not JSON: " + e.getMessage(), e);
    }
    if (theirs.isMissingNode()) {
      // An entry from before the tables were chained (no ledger snapshot yet) carries an event,
      // not a row: the row cannot be compared column by column.
      add(new RowDifference(Change.EDITED, table, key, "*", expected, chained, seq, kind));
      return;
    }
    TreeSet<String> names = new TreeSet<>();
    mine.fieldNames().forEachRemaining(names::add);
    theirs.fieldNames().forEachRemaining(names::add);
    for (Iterator<String> it = names.iterator(); it.hasNext(); ) {
      String col = it.next();
      JsonNode a = mine.path(col);
      JsonNode b = theirs.path(col);
      if (!a.equals(b)) {
        add(
            new RowDifference(
                Change.EDITED,
                table,
                key,
                col,
                a.isMissingNode() ? "(no such column)" : a.toString(),
                b.isMissingNode() ? "(no such column)" : b.toString(),
                seq,
                kind));
      }
    }
  }

  private void add(RowDifference d) {
    total++;
    if (found.size() < MAX_REPORTED) {
      found.add(d);
    }
  }

  static String keyOf(Projection p, Map<String, Object> row) {
    List<String> parts = new ArrayList<>();
    for (String k : p.keys()) {
      parts.add(String.valueOf(row.get(k)));
    }
    return String.join("/", parts);
  }

  /** The exception for a non-empty result. */
  static AuditChainBroken broken(List<RowDifference> diffs, long total, boolean snapshotted) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "the chain is intact but %d table row(s) differ from what it recorded (edited,"
                    + " inserted or deleted outside BurnGuard):",
                total));
    for (RowDifference d : diffs) {
      b.append(System.lineSeparator()).append("  ").append(d.describe());
    }
    if (total > diffs.size()) {
      b.append(System.lineSeparator())
          .append(String.format(Locale.ROOT, "  ... and %d more", total - diffs.size()));
    }
    if (!snapshotted) {
      b.append(System.lineSeparator())
          .append(
              "  this database has no ledger.snapshot entry: it was written before its tables"
                  + " were chained; start the daemon of this version once to chain them");
    } else {
      b.append(System.lineSeparator())
          .append(
              "  the chained values are the signed truth: restore the rows from a backup or from"
                  + " the chain entries named, and find out who had write access to the database");
    }
    long first =
        diffs.stream().mapToLong(RowDifference::sequence).filter(s -> s > 0).min().orElse(0);
    return new AuditChainBroken(
        AuditChainBroken.Problem.TABLE_MISMATCH, first, b.toString(), diffs, total);
  }
}
