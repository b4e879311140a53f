package io.burnguard.agent.fleet;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The burn keys PostgreSQL generates from a burn entry's payload ({@code fleet_burn_keys}, schema
 * V4): the columns of the row image that {@code fleet trace} looks up and {@code fleet units}
 * lists, by position. {@code fleet audit} recomputes them here from the signed payload and compares
 * them with what is stored, so keys altered in PostgreSQL (a schema owner can turn the generated
 * column into a plain one) cannot hide a unit from a recall or show it with other values.
 */
final class BurnKeys {
  /** Position i + 1 of {@code burn_keys} holds the row image's column FIELDS[i]. */
  static final List<String> FIELDS =
      List.of(
          "barcode",
          "firmware_name",
          "firmware_version",
          "model",
          "work_order",
          "outcome",
          "started_at",
          "ended_at",
          "operator",
          "fixture");

  /** FIELDS' indexes by name: the audit looks up every column of every burn entry. */
  private static final Map<String, Integer> INDEX = index();

  private BurnKeys() {}

  private static Map<String, Integer> index() {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < FIELDS.size(); i++) {
      m.put(FIELDS.get(i), i);
    }
    return Map.copyOf(m);
  }

  /** Whether entries with this ref carry burn keys (PostgreSQL's generation rule). */
  static boolean isBurn(String ref) {
    return ref.startsWith("burns/");
  }

  /** The 1-based {@code burn_keys} position of row-image column {@code column}. */
  static int position(String column) {
    Integer i = INDEX.get(column);
    if (i == null) {
      throw new IllegalArgumentException(column + " is not a burn key");
    }
    return i + 1;
  }

  /**
   * The keys of a payload's row image: scalars as text (as PostgreSQL's {@code ->>} gives them),
   * null for a JSON null or an absent column; a nested value is left null (no burn column has one).
   *
   * @throws IOException when the payload is not a JSON object
   */
  static String[] of(String payload) throws IOException {
    String[] keys = new String[FIELDS.size()];
    RowImageColumns.read(
        payload,
        (name, v, p) -> {
          Integer i = INDEX.get(name);
          if (i != null && !v.isStructStart() && v != JsonToken.VALUE_NULL) {
            keys[i] = p.getText();
          }
        });
    return keys;
  }

  /**
   * Null when {@code stored} are the keys of {@code payload}, else what differs, for the audit's
   * finding.
   */
  static String difference(String payload, String[] stored) {
    String[] signed;
    try {
      signed = of(payload);
    } catch (IOException e) {
      return "its payload is not a row image (" + e.getMessage() + ")";
    }
    for (int i = 0; i < signed.length; i++) {
      if (!Objects.equals(signed[i], stored[i])) {
        return FIELDS.get(i)
            + " is "
            + quote(stored[i])
            + " in PostgreSQL's burn_keys but "
            + quote(signed[i])
            + " in the signed payload";
      }
    }
    return null;
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
