package io.burnguard.agent.audit;

import java.util.List;
import java.util.Optional;

/**
 * One table that is a projection of the audit chain (issue 11): every change of one of its rows is
 * a chain entry with ref {@code <table>/<key>} whose payload carries the full new row ({@link
 * RowImage}). Verification rebuilds the table from the last entry per ref and compares.
 *
 * @param table the SQL table name, also the ref prefix
 * @param keys its primary-key columns (one, or two for {@code vetting_release})
 * @param integerKey whether the single key column is an INTEGER (refs then sort as text, so the
 *     reverse probe casts)
 * @param defaultKind the entry kind used when a change is chained by the commit hook rather than by
 *     a named event (e.g. {@code scan.verdict})
 */
record Projection(String table, List<String> keys, boolean integerKey, String defaultKind) {
  Projection {
    keys = List.copyOf(keys);
  }

  /**
   * Every projected table. Append-only in spirit: a table listed here must have all its rows
   * chained, so adding one needs a snapshot entry for its existing rows ({@link LedgerSnapshot}).
   */
  static final List<Projection> ALL =
      List.of(
          new Projection("burns", List.of("id"), true, "burn.changed"),
          new Projection("work_orders", List.of("id"), false, "order.changed"),
          new Projection("alerts", List.of("id"), true, "alert.changed"),
          new Projection("admin_events", List.of("id"), true, "admin.event"),
          new Projection("scan_verdicts", List.of("id"), true, "scan.verdict"),
          new Projection("port_events", List.of("id"), true, "port.event"),
          new Projection("key_parts", List.of("id"), false, "part.changed"),
          new Projection("key_part_events", List.of("id"), true, "part.event"),
          new Projection("key_part_certificates", List.of("id"), true, "part.certificate"),
          new Projection("key_part_usb", List.of("part_id"), false, "part.usb"),
          new Projection(
              "vetting_highest_version", List.of("name"), false, "vetting.highest_version"),
          new Projection(
              "vetting_withdrawal_state", List.of("id"), true, "vetting.withdrawal_sequence"),
          new Projection("vetting_release", List.of("name", "version"), false, "vetting.release"),
          new Projection(
              "vetting_withdrawals_doc", List.of("id"), true, "vetting.withdrawal_list"));

  /** The projection of {@code table}. */
  static Optional<Projection> of(String table) {
    return ALL.stream().filter(p -> p.table.equals(table)).findFirst();
  }

  /** {@code <table>/} */
  String prefix() {
    return table + "/";
  }

  /** The ref of a row with these key values. */
  String ref(Object... keyValues) {
    StringBuilder b = new StringBuilder(table);
    for (Object k : keyValues) {
      b.append('/').append(k);
    }
    return b.toString();
  }

  /** SQL for the ref of a row, over {@code alias.}key columns. */
  String refSql(String alias) {
    StringBuilder b = new StringBuilder("'").append(table).append('\'');
    for (String k : keys) {
      b.append(" || '/' || ").append(alias).append('.').append(k);
    }
    return b.toString();
  }

  /** SQL condition that a row {@code t} is the one named by the text column {@code ref}. */
  String rowForRefSql(String ref) {
    if (keys.size() > 1) {
      return refSql("t") + " = " + ref;
    }
    String tail = "substr(" + ref + ", " + (table.length() + 2) + ")";
    return "t." + keys.get(0) + " = " + (integerKey ? "CAST(" + tail + " AS INTEGER)" : tail);
  }

  /** SQL condition selecting one row by its key values as parameters. */
  String keyWhere() {
    return String.join(" AND ", keys.stream().map(k -> k + " = ?").toList());
  }
}
