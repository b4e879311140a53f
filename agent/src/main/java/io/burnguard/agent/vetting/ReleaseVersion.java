package io.burnguard.agent.vetting;

import io.burnguard.config.UntrustedText;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release version: 1 to 4 dotted numeric parts, optional pre-release suffix ({@code 5.4.1},
 * {@code 5.4.1-rc2}). Ordered numerically part by part; a pre-release sorts below its release (as
 * in SemVer 2.0.0 section 11), suffixes compare as strings.
 */
record ReleaseVersion(long[] parts, String suffix) implements Comparable<ReleaseVersion> {
  private static final Pattern FORM =
      Pattern.compile(
          "(0|[1-9][0-9]{0,8})((?:\\.(?:0|[1-9][0-9]{0,8})){0,3})(?:-([A-Za-z0-9.]{1,32}))?");

  static ReleaseVersion parse(String text) {
    Matcher m = text == null ? null : FORM.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "version is '%s'; expected 1 to 4 dotted numbers with an optional -suffix,"
                  + " e.g. 5.4.1",
              UntrustedText.neutralize(text, 60)));
    }
    String[] rest = m.group(2).isEmpty() ? new String[0] : m.group(2).substring(1).split("\\.");
    long[] parts = new long[rest.length + 1];
    parts[0] = Long.parseLong(m.group(1));
    for (int i = 0; i < rest.length; i++) {
      parts[i + 1] = Long.parseLong(rest[i]);
    }
    return new ReleaseVersion(parts, m.group(3) == null ? "" : m.group(3));
  }

  @Override
  public int compareTo(ReleaseVersion o) {
    for (int i = 0; i < Math.max(parts.length, o.parts.length); i++) {
      long a = i < parts.length ? parts[i] : 0;
      long b = i < o.parts.length ? o.parts[i] : 0;
      if (a != b) {
        return Long.compare(a, b);
      }
    }
    if (suffix.isEmpty() || o.suffix.isEmpty()) {
      return Boolean.compare(suffix.isEmpty(), o.suffix.isEmpty());
    }
    return suffix.compareTo(o.suffix);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReleaseVersion && compareTo((ReleaseVersion) o) == 0;
  }

  @Override
  public int hashCode() {
    return suffix.hashCode();
  }
}
