package io.burnguard.drivers;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a fixture setting's text must be. Settings arrive as strings (station.yaml {@code
 * settings:}); the check here is the one the driver applies before touching the device, so {@code
 * config check} refuses what a burn would refuse.
 */
public enum SettingType {
  /** Any non-blank text. */
  TEXT("text"),
  /** A positive whole number, decimal or 0x hex. */
  NUMBER("a positive whole number (decimal or 0x hex)"),
  /** A RAM or flash address, 0x hex (decimal accepted). */
  ADDRESS("an address such as 0x40200000"),
  /** A positive whole number of seconds. */
  SECONDS("a positive whole number of seconds"),
  /** A dotted IPv4 address. */
  IPV4("a dotted IPv4 address"),
  /** A Java regular expression. */
  REGEX("a Java regular expression");

  private static final Pattern IPV4_TEXT =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  private final String description;

  SettingType(String description) {
    this.description = description;
  }

  /** How messages and docs name the type. */
  public String description() {
    return description;
  }

  /** Whether {@code value} is acceptable. */
  public boolean accepts(String value) {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty()) {
      return false;
    }
    return switch (this) {
      case TEXT -> true;
      case NUMBER, ADDRESS, SECONDS -> positive(v);
      case IPV4 -> IPV4_TEXT.matcher(v).matches();
      case REGEX -> compiles(v);
    };
  }

  private static boolean positive(String v) {
    String t = v.toLowerCase(Locale.ROOT);
    try {
      long n = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
      return n > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean compiles(String v) {
    try {
      Pattern.compile(v);
      return true;
    } catch (PatternSyntaxException e) {
      return false;
    }
  }
}
