package io.burnguard.drivers;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Everything a driver needs for one burn. The driver knows nothing of releases, ledgers or
 * policies: the caller has already verified the image; the digests here are what the device's
 * read-back must match.
 *
 * @param imageName file name shown to the device (YMODEM block 0, TFTP file name); no path
 * @param image opens the verified image
 * @param length image length in bytes
 * @param sha256 image SHA-256, lower-case hex
 * @param crc32 image CRC-32 (IEEE 802.3, as U-Boot's {@code crc32} computes it)
 * @param fixture the fixture's settings (port, baud, addresses, timeouts)
 * @param recipe boot-loader commands that write the loaded image to flash, with {@code ${var}}s
 * @param readBack boot-loader commands whose last one prints the device's checksum of the flash
 * @param variables the model's recipe variables ({@code flash_offset}, {@code erase_size}, ...)
 */
public record BurnJob(
    String imageName,
    ImageSource image,
    long length,
    String sha256,
    long crc32,
    Map<String, String> fixture,
    List<String> recipe,
    List<String> readBack,
    Map<String, String> variables) {

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._+-]{1,64}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public BurnJob {
    Objects.requireNonNull(image, "image");
    if (imageName == null || !SAFE_NAME.matcher(imageName).matches()) {
      throw new IllegalArgumentException(
          "image name must be 1-64 of [A-Za-z0-9._+-] (it is sent to the device); found: "
              + imageName);
    }
    if (length <= 0) {
      throw new IllegalArgumentException("image length must be positive; found " + length);
    }
    sha256 = Objects.requireNonNull(sha256, "sha256").toLowerCase(Locale.ROOT);
    if (!SHA256_HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 hex digits; found: " + sha256);
    }
    if (crc32 < 0 || crc32 > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("crc32 must be an unsigned 32-bit value; found " + crc32);
    }
    fixture = Map.copyOf(fixture);
    recipe = List.copyOf(recipe);
    readBack = List.copyOf(readBack);
    variables = Map.copyOf(variables);
    if (readBack.isEmpty()) {
      throw new IllegalArgumentException(
          "the read-back recipe is empty; a burn cannot pass without the device's checksum");
    }
  }

  /** The image CRC-32 as U-Boot prints it: 8 lower-case hex digits. */
  public String crc32Hex() {
    return String.format(Locale.ROOT, "%08x", crc32);
  }

  /** A fixture setting, or the default when absent or blank. */
  public String setting(String key, String defaultValue) {
    String v = fixture.get(key);
    return v == null || v.isBlank() ? defaultValue : v.trim();
  }

  /** Digests of a stream, computed in one pass. */
  public record Digests(long length, String sha256, long crc32) {}

  /** Computes length, SHA-256 and CRC-32 of the source's bytes. */
  public static Digests digest(ImageSource source) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
    }
    CRC32 crc = new CRC32();
    long n = 0;
    try (InputStream in = source.open()) {
      byte[] buf = new byte[64 * 1024];
      int r;
      while ((r = in.read(buf)) > 0) {
        sha.update(buf, 0, r);
        crc.update(buf, 0, r);
        n += r;
      }
    }
    return new Digests(n, HexFormat.of().formatHex(sha.digest()), crc.getValue());
  }

  /** Builder for the common case: digests computed from the source. */
  public static BurnJob of(
      String imageName,
      ImageSource source,
      Map<String, String> fixture,
      List<String> recipe,
      List<String> readBack,
      Map<String, String> variables)
      throws IOException {
    Digests d = digest(source);
    return new BurnJob(
        imageName, source, d.length(), d.sha256(), d.crc32(), fixture, recipe, readBack, variables);
  }
}
