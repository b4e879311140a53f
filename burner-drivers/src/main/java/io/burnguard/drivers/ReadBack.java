package io.burnguard.drivers;

import java.util.Locale;
import java.util.Objects;

/**
 * A checksum the device computed over the flashed range, with the value the host expected.
 *
 * @param algorithm "crc32" or "sha256"
 * @param expected the image's value, lower-case hex
 * @param actual the device's value, lower-case hex
 */
public record ReadBack(String algorithm, String expected, String actual) {
  public ReadBack {
    Objects.requireNonNull(algorithm, "algorithm");
    expected = expected.toLowerCase(Locale.ROOT);
    actual = actual.toLowerCase(Locale.ROOT);
  }

  public boolean matches() {
    return expected.equals(actual);
  }
}
