package io.burnguard.agent.audit;

import java.util.Locale;
import java.util.Objects;

/**
 * A row of a projected table that differs from what the audit chain recorded (issue 11).
 *
 * @param change what was done to the table
 * @param table the table
 * @param key the row's key as in its ref ({@code 42}, {@code WO-1}, {@code name/version})
 * @param column the differing column, or null for a whole row
 * @param tableValue the value in the table (JSON), or null when the row is missing
 * @param chainedValue the value the chain recorded (JSON), or null when the chain has no row
 * @param sequence the chain entry that recorded the row last, or 0 when there is none
 * @param kind that entry's kind, or null
 */
public record RowDifference(
    Change change,
    String table,
    String key,
    String column,
    String tableValue,
    String chainedValue,
    long sequence,
    String kind) {
  /** What happened to the row outside BurnGuard. */
  public enum Change {
    /** A column differs from the chained value. */
    EDITED,
    /** The row is in the table but the chain has no row (or recorded its deletion). */
    INSERTED,
    /** The chain has the row but the table does not. */
    DELETED
  }

  public RowDifference {
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(key, "key");
  }

  /** One sentence naming table, key, column, both values and the chain entry. */
  public String describe() {
    String entry = sequence == 0 ? "" : String.format(Locale.ROOT, "entry %d (%s)", sequence, kind);
    return switch (change) {
      case EDITED ->
          String.format(
              Locale.ROOT,
              "%s %s: column %s is %s in the table but chain %s recorded %s",
              table,
              key,
              column,
              clip(tableValue),
              entry,
              clip(chainedValue));
      case INSERTED ->
          String.format(
              Locale.ROOT,
              "%s %s: the row is in the table but not in the chain (%s): it was inserted outside"
                  + " BurnGuard",
              table,
              key,
              sequence == 0 ? "no entry" : "chain " + entry + " recorded its deletion");
      case DELETED ->
          String.format(
              Locale.ROOT,
              "%s %s: the row was deleted; chain %s recorded it as %s",
              table,
              key,
              entry,
              clip(chainedValue));
    };
  }

  private static String clip(String v) {
    if (v == null) {
      return "null";
    }
    return v.length() > 300 ? v.substring(0, 300) + "...(" + v.length() + " chars)" : v;
  }
}
