package io.burnguard.config;

import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The scalar types the config model may use, one entry each: how a YAML value becomes that type,
 * how messages name the type, and an example value for "what to write instead". A new type is one
 * entry in {@link #TYPES}; {@link Binder} knows none of them by name.
 *
 * <p>Whole numbers are never clamped: a value that does not fit the component's {@link Spec.Range}
 * (or, without one, the Java type) is refused with the bounds to write.
 */
final class ScalarTypes {
  private ScalarTypes() {}

  /** Turns one scalar into a value of the type, or refuses it. */
  @FunctionalInterface
  interface Converter {
    Object convert(YamlNode.Scalar s, RecordComponent spec) throws Refusal;
  }

  /**
   * A value the type does not accept: what is wrong and, when the type knows better than the
   * generic example, what to write instead.
   */
  static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    private final String fix;

    Refusal(String message, String fix) {
      super(message, null, false, false);
      this.fix = fix;
    }

    Refusal(String message) {
      this(message, null);
    }

    String fix() {
      return fix;
    }
  }

  /**
   * One scalar type.
   *
   * @param description how messages name it ("a whole number")
   * @param example a value to suggest
   * @param converter reads a YAML scalar as this type
   */
  record Entry(String description, String example, Converter converter) {}

  private static final Entry INT =
      new Entry(
          "a whole number",
          "1",
          (s, spec) -> whole(s, spec, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue());
  private static final Entry LONG =
      new Entry("a whole number", "1", (s, spec) -> whole(s, spec, Long.MIN_VALUE, Long.MAX_VALUE));
  private static final Entry BOOLEAN = new Entry("true or false", "false", ScalarTypes::bool);

  private static final Map<Class<?>, Entry> TYPES =
      Map.ofEntries(
          Map.entry(String.class, new Entry("text", "a value", ScalarTypes::text)),
          Map.entry(int.class, INT),
          Map.entry(Integer.class, INT),
          Map.entry(long.class, LONG),
          Map.entry(Long.class, LONG),
          Map.entry(boolean.class, BOOLEAN),
          Map.entry(Boolean.class, BOOLEAN),
          Map.entry(
              Duration.class, new Entry("a duration such as 30s", "30s", ScalarTypes::duration)),
          Map.entry(Path.class, new Entry("a path", "/an/absolute/path", ScalarTypes::path)),
          Map.entry(URI.class, new Entry("a URL", "https://host/base", ScalarTypes::uri)),
          Map.entry(
              Pattern.class,
              new Entry("a regular expression", "\"[0-9]{13}\"", ScalarTypes::regex)));

  /** The entry for {@code raw}; enums get one built from their constants. */
  static Entry of(Class<?> raw) {
    if (raw.isEnum()) {
      List<String> names = enumWords(raw);
      return new Entry(
          "one of " + String.join(", ", names),
          names.get(0),
          (s, spec) -> enumValue(s, raw, names));
    }
    Entry e = TYPES.get(raw);
    if (e == null) {
      throw new IllegalStateException("unsupported config type " + raw + "; add it to ScalarTypes");
    }
    return e;
  }

  /** Whether {@code raw} is a scalar type this registry knows. */
  static boolean isScalar(Class<?> raw) {
    return raw.isEnum() || TYPES.containsKey(raw);
  }

  private static Object text(YamlNode.Scalar s, RecordComponent spec) throws Refusal {
    String t = s.text();
    if (s.kind() == YamlNode.ScalarKind.BOOLEAN) {
      throw new Refusal(
          "YAML read " + t + " as a yes/no value, not as text", "quote it: \"" + t + "\"");
    }
    Spec.Matches m = spec == null ? null : spec.getAnnotation(Spec.Matches.class);
    if (m != null && !t.matches(m.value())) {
      throw new Refusal("\"" + t + "\" is not " + m.means());
    }
    return t;
  }

  private static Long whole(YamlNode.Scalar s, RecordComponent spec, long typeMin, long typeMax)
      throws Refusal {
    if (s.kind() != YamlNode.ScalarKind.INTEGER) {
      throw new Refusal("expected a whole number, found " + s.kindWord());
    }
    long v;
    try {
      v = Long.parseLong(s.text());
    } catch (NumberFormatException e) {
      throw new Refusal("the number " + s.text() + " is too large");
    }
    Spec.Range r = spec == null ? null : spec.getAnnotation(Spec.Range.class);
    long min = Math.max(typeMin, r == null ? Long.MIN_VALUE : r.min());
    long max = Math.min(typeMax, r == null ? Long.MAX_VALUE : r.max());
    checkRange(s.text(), v, min, max, "");
    return v;
  }

  private static Object bool(YamlNode.Scalar s, RecordComponent spec) throws Refusal {
    if (s.kind() != YamlNode.ScalarKind.BOOLEAN) {
      throw new Refusal("expected true or false, found " + s.kindWord(), "write true or false");
    }
    return Boolean.parseBoolean(s.text().toLowerCase(Locale.ROOT));
  }

  private static Object duration(YamlNode.Scalar s, RecordComponent spec) throws Refusal {
    Duration d = Durations.parse(s.text());
    if (d == null) {
      throw new Refusal(
          "\"" + s.text() + "\" is not a duration",
          "write a number and a unit: 500ms, 30s, 5m, 2h or 7d (or ISO-8601 such as PT5M)");
    }
    Spec.Range r = spec == null ? null : spec.getAnnotation(Spec.Range.class);
    if (r != null) {
      checkRange(s.text(), d.toSeconds(), r.min(), r.max(), " seconds");
    }
    return d;
  }

  private static void checkRange(String text, long v, long min, long max, String unit)
      throws Refusal {
    if (v >= min && v <= max) {
      return;
    }
    String bounds =
        max == Long.MAX_VALUE
            ? "at least " + min
            : min == Long.MIN_VALUE ? "at most " + max : min + " to " + max;
    throw new Refusal(text + " is out of range", "write a value of " + bounds + unit);
  }

  private static Object path(YamlNode.Scalar s, RecordComponent spec) throws Refusal {
    Path p;
    try {
      p = Path.of(s.text());
    } catch (InvalidPathException e) {
      throw new Refusal("\"" + s.text() + "\" is not a valid path: " + e.getReason());
    }
    if (spec != null && spec.isAnnotationPresent(Spec.Absolute.class) && !p.isAbsolute()) {
      throw new Refusal(
          "\""
              + s.text()
              + "\" is a relative path; the daemon's working directory is not fixed, so it must"
              + " be absolute");
    }
    return p.normalize();
  }

  private static Object uri(YamlNode.Scalar s, RecordComponent spec) throws Refusal {
    try {
      URI u = new URI(s.text());
      if (u.getScheme() == null || u.getHost() == null) {
        throw new URISyntaxException(s.text(), "no scheme or host");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new Refusal("\"" + s.text() + "\" is not a URL");
    }
  }

  private static Object regex(YamlNode.Scalar s, RecordComponent spec) throws Refusal {
    try {
      return Pattern.compile(s.text());
    } catch (PatternSyntaxException e) {
      throw new Refusal(
          "\"" + s.text() + "\" is not a valid regular expression: " + e.getDescription(),
          "fix the expression (Java regex syntax)");
    }
  }

  private static List<String> enumWords(Class<?> raw) {
    List<String> names = new ArrayList<>();
    for (Object c : raw.getEnumConstants()) {
      names.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return names;
  }

  private static Object enumValue(YamlNode.Scalar s, Class<?> raw, List<String> names)
      throws Refusal {
    int i = names.indexOf(s.text());
    if (i >= 0) {
      return raw.getEnumConstants()[i];
    }
    String guess = Suggest.closest(s.text(), names);
    throw new Refusal(
        "\"" + s.text() + "\" is not one of: " + String.join(", ", names),
        guess == null
            ? "write one of " + String.join(", ", names)
            : "did you mean \"" + guess + "\"?");
  }
}
