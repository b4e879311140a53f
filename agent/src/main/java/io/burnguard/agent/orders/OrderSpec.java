package io.burnguard.agent.orders;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@code order open} asks for. Impossible values are refused here, where they are set.
 *
 * @param id the order id, 1-64 of {@code A-Z a-z 0-9 . _ -}
 * @param model the station/unit model the order is for, e.g. {@code IPC-X1}
 * @param firmwareName release name, e.g. {@code ipc-x1-main}
 * @param firmwareVersion release version, e.g. {@code 5.4.1}
 * @param quantity units to burn (PASSED), 1 to 10,000,000
 * @param rule barcode rule
 * @param duplicates duplicate policy
 */
public record OrderSpec(
    String id,
    String model,
    String firmwareName,
    String firmwareVersion,
    long quantity,
    BarcodeRule rule,
    DuplicatePolicy duplicates) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern WORD = Pattern.compile("[\\x21-\\x7e]{1,128}");

  /** Largest quantity accepted: a typo guard, far above any real order. */
  public static final long MAX_QUANTITY = 10_000_000;

  public OrderSpec {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(duplicates, "duplicates");
    require("order id", id, ID, "1-64 characters of A-Z a-z 0-9 . _ -");
    require("model", model, WORD, "1-128 printable ASCII characters without spaces");
    require("firmware name", firmwareName, WORD, "1-128 printable ASCII characters");
    require("firmware version", firmwareVersion, WORD, "1-128 printable ASCII characters");
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException(
          "quantity " + quantity + " is out of range; expected 1 to " + MAX_QUANTITY);
    }
  }

  private static void require(String what, String value, Pattern p, String expected) {
    if (value == null || !p.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " \"" + value + "\" is not accepted; expected " + expected);
    }
  }
}
