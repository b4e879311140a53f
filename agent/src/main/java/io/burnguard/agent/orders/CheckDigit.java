package io.burnguard.agent.orders;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Check-digit schemes a barcode rule may require. The check character is the last one of the
 * barcode; {@link #valid} recomputes it from the others.
 */
public enum CheckDigit {
  /** No check digit. */
  NONE,
  /** GS1 mod 10 (GTIN, EAN/UPC, SSCC): weights 3,1,3,... from the right, digits only. */
  GS1_MOD10,
  /** ISO/IEC 7064 MOD 11-2: digits, check character 0-9 or X (as in ISNI and ORCID). */
  ISO7064_MOD11_2,
  /** ISO/IEC 7064 MOD 37-2: digits and A-Z, check character 0-9, A-Z or *. */
  ISO7064_MOD37_2;

  private static final String ALNUM37 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

  /** Looks up a scheme by name, case-insensitively, accepting '-' for '_'. */
  public static CheckDigit named(String name) {
    String n = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (CheckDigit c : values()) {
      if (c.name().equals(n)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "check digit scheme \""
            + name
            + "\" is unknown; known: "
            + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
  }

  /** Whether {@code code}'s last character is the correct check character for the rest. */
  public boolean valid(String code) {
    if (this == NONE) {
      return true;
    }
    if (code.length() < 2) {
      return false;
    }
    String body = code.substring(0, code.length() - 1);
    char check = code.charAt(code.length() - 1);
    Character expected = compute(body);
    return expected != null && expected == check;
  }

  /** The check character for {@code body}, or null when {@code body} has a foreign character. */
  public Character compute(String body) {
    switch (this) {
      case GS1_MOD10:
        return gs1(body);
      case ISO7064_MOD11_2:
        return pureMod(body, 11, "0123456789", "0123456789X");
      case ISO7064_MOD37_2:
        return pureMod(body, 37, ALNUM37.substring(0, 36), ALNUM37);
      default:
        return null;
    }
  }

  // GS1 General Specifications 7.9.1: from the rightmost data digit, weights 3 and 1 alternate.
  private static Character gs1(String body) {
    int sum = 0;
    int weight = 3;
    for (int i = body.length() - 1; i >= 0; i--) {
      char ch = body.charAt(i);
      if (ch < '0' || ch > '9') {
        return null;
      }
      sum += (ch - '0') * weight;
      weight = 4 - weight;
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }

  // ISO/IEC 7064 pure system with radix 2, computed recursively: p = (p + a) * 2 mod M, then the
  // check value is (M + 1 - p) mod M, so the full string's weighted sum is 1 mod M.
  private static Character pureMod(String body, int m, String dataAlphabet, String checkAlphabet) {
    int p = 0;
    for (int i = 0; i < body.length(); i++) {
      int v = dataAlphabet.indexOf(body.charAt(i));
      if (v < 0) {
        return null;
      }
      p = ((p + v) * 2) % m;
    }
    return checkAlphabet.charAt((m + 1 - p) % m);
  }
}
