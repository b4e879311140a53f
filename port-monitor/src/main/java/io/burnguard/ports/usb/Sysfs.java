package io.burnguard.ports.usb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Bounded reads of sysfs attributes.
 *
 * <p>Strings are byte strings: each byte becomes one char (ISO-8859-1), so the device hash, the
 * rule matching and the escaping of generated rules see exactly the bytes the device sent, as in
 * USBGuard; nothing is lost to a UTF-8 decoder.
 */
final class Sysfs {
  /** sysfs attributes are at most one page. */
  static final int MAX_ATTRIBUTE = 4096;

  private Sysfs() {}

  /**
   * The attribute's bytes, at most {@code max}; empty when the file does not exist or is not a
   * regular file (a symlink is not followed, a FIFO not waited on: {@link AttributeFiles#read}).
   */
  static Optional<byte[]> readBytes(Path file, int max) throws IOException {
    return AttributeFiles.read(file, max);
  }

  /** A text attribute without its trailing newline, as a byte string; empty when absent. */
  static Optional<String> readText(Path file) throws IOException {
    Optional<byte[]> data = readBytes(file, MAX_ATTRIBUTE);
    if (data.isEmpty()) {
      return Optional.empty();
    }
    byte[] b = data.get();
    int length = b.length > 0 && b[b.length - 1] == '\n' ? b.length - 1 : b.length;
    return Optional.of(new String(b, 0, length, StandardCharsets.ISO_8859_1));
  }

  /** The value of {@code KEY=} in a {@code uevent} attribute, empty when absent. */
  static Optional<String> ueventValue(Path dir, String key) throws IOException {
    Optional<String> uevent = readText(dir.resolve("uevent"));
    if (uevent.isEmpty()) {
      return Optional.empty();
    }
    String prefix = key + "=";
    for (String line : uevent.get().split("\n", -1)) {
      if (line.startsWith(prefix)) {
        return Optional.of(line.substring(prefix.length()));
      }
    }
    return Optional.empty();
  }

  static boolean isUsbDevice(Path dir) throws IOException {
    return ueventValue(dir, "DEVTYPE").filter("usb_device"::equals).isPresent();
  }
}
