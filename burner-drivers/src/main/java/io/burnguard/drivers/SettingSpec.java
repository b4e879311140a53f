package io.burnguard.drivers;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One fixture setting a driver reads ({@code fixtures[].settings} in station.yaml).
 *
 * @param name the key, e.g. {@code device_ip}
 * @param type what its text must be
 * @param required whether a burn cannot run without it
 * @param defaultValue the value used when it is absent, as text; null when there is none (then
 *     {@code defaultNote} says what happens)
 * @param defaultNote how the default is found when it is computed or when there is none, e.g.
 *     "twice the line time plus 30 s"; empty otherwise
 * @param description what it is for, with its unit
 */
public record SettingSpec(
    String name,
    SettingType type,
    boolean required,
    String defaultValue,
    String defaultNote,
    String description) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");

  public SettingSpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("setting names are snake_case; found " + name);
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    defaultNote = defaultNote == null ? "" : defaultNote;
    if (required && defaultValue != null) {
      throw new IllegalArgumentException("required setting " + name + " cannot have a default");
    }
    if (defaultValue != null && !type.accepts(defaultValue)) {
      throw new IllegalArgumentException(
          "the default of " + name + " is not " + type.description() + ": " + defaultValue);
    }
  }

  /** A required setting. */
  public static SettingSpec required(String name, SettingType type, String description) {
    return new SettingSpec(name, type, true, null, "", description);
  }

  /** An optional setting with a fixed default. */
  public static SettingSpec optional(
      String name, SettingType type, String defaultValue, String description) {
    return new SettingSpec(name, type, false, defaultValue, "", description);
  }

  /** An optional setting whose absence is described rather than a fixed value. */
  public static SettingSpec computed(
      String name, SettingType type, String defaultNote, String description) {
    return new SettingSpec(name, type, false, null, defaultNote, description);
  }

  /** An example value for "what to write instead". */
  public String example() {
    if (defaultValue != null) {
      return defaultValue;
    }
    return switch (type) {
      case NUMBER, SECONDS -> "30";
      case ADDRESS -> "0x44000000";
      case IPV4 -> "192.168.50.20";
      case REGEX -> "(?i)error";
      case TEXT -> "a value";
    };
  }
}
