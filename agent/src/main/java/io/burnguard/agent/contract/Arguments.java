package io.burnguard.agent.contract;

import java.util.Map;

/**
 * The bound of every string argument a request may carry, checked at the protocol edge before any
 * handler sees the request (issue 12, finding 8). Every string in {@code args}, at any depth, is
 * checked: a field listed here gets its own bound, any other field {@link #DEFAULT_MAX}. Text
 * fields must also be printable text on one line ({@code UntrustedText.problem}); a {@link
 * #DOCUMENTS} field is a structured file the CLI read (an exported audit head, JSON), parsed by its
 * handler, so it may also hold line breaks and tabs.
 *
 * <p>Handlers keep their stricter rules (a barcode matches its work order's rule; a firmware name
 * is confined to a file name); this table is the floor every string argument stands on.
 */
public final class Arguments {
  /** The bound of a string argument not listed in {@link #MAX_CHARS}. */
  public static final int DEFAULT_MAX = 256;

  /** At most this many elements in an array argument (e.g. exported heads). */
  public static final int MAX_ARRAY = 64;

  /** Characters at most, per argument name, for the arguments the daemon reads. */
  public static final Map<String, Integer> MAX_CHARS =
      Map.ofEntries(
          Map.entry("fixture", 64), // burn: a fixture id from station.yaml
          Map.entry("barcode", 128), // burn, trace: a unit's serial; the order's rule applies too
          Map.entry("order", 64), // burn: a work-order id
          Map.entry("id", 64), // order open/close: a work-order id
          Map.entry("model", 128), // order open
          Map.entry("firmware", 128), // order open, units: a firmware name
          Map.entry("name", 128), // firmware fetch: a firmware name
          Map.entry("version", 64), // order open, firmware fetch, units
          Map.entry("barcodeRule", 256), // order open: a regular expression
          Map.entry("checkDigit", 32), // order open: a check-digit scheme name
          Map.entry("format", 16), // units: TABLE, CSV, ...
          Map.entry("reworkReason", 500), // burn: free text typed by an operator
          Map.entry("note", 500), // order close, alerts ack: free text
          Map.entry("heads", 16 * 1024)); // audit verify: exported head files (JSON)

  /** Arguments that are structured documents: line breaks and tabs allowed, still bounded. */
  public static final java.util.Set<String> DOCUMENTS = java.util.Set.of("heads");

  private Arguments() {}

  /** The bound for the argument {@code name}. */
  public static int maxChars(String name) {
    return MAX_CHARS.getOrDefault(name, DEFAULT_MAX);
  }
}
