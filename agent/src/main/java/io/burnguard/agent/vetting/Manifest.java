package io.burnguard.agent.vetting;

import io.burnguard.config.UntrustedText;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A release manifest (docs/architecture.md, "Release format on the designated server"). The record
 * enforces the schema's invariants; {@link ManifestCodec} parses and writes the exact bytes.
 *
 * @param name release name, e.g. {@code ipc-x1-main}
 * @param version dotted numeric version, optional {@code -suffix}
 * @param models product models the release is for
 * @param file image file name in the release directory (no path)
 * @param length image length in bytes
 * @param sha256 image SHA-256, 64 lower-case hex digits
 * @param issued when the release was signed
 * @param allowDowngrade whether stations may accept it below their highest seen version
 */
public record Manifest(
    String name,
    String version,
    List<String> models,
    String file,
    long length,
    String sha256,
    Instant issued,
    boolean allowDowngrade) {

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/+-]{0,63}");
  static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** Enforces the schema; a violation is a programming or input error. */
  public Manifest {
    requireMatch("name", name, NAME);
    ReleaseVersion.parse(version);
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("models must list at least one product model");
    }
    for (String m : models) {
      requireMatch("model", m, MODEL);
    }
    requireMatch("file", file, NAME);
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative, found " + length);
    }
    requireMatch("sha256", sha256, SHA256);
    Objects.requireNonNull(issued, "issued");
  }

  private static void requireMatch(String field, String value, Pattern p) {
    if (value == null || !p.matcher(value).matches()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s is '%s'; expected to match %s",
              field,
              UntrustedText.neutralize(value, 140),
              p.pattern()));
    }
  }
}
