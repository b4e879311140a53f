package io.burnguard.ports.usb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one device directory into a {@link UsbDevice}, computing USBGuard 1.1's hashes.
 *
 * <p>USBGuard's device hash is SHA-256 over the product string, idVendor, idProduct and serial (as
 * read from sysfs, without the newline, concatenated without separators) followed by every
 * descriptor byte walked by {@link Descriptors}; it is written in base64. The parent hash of a root
 * hub is SHA-256 of the controller's sysfs path below the sysfs root ({@code
 * /devices/pci0000:00/0000:00:14.0}); of any other device, its parent's device hash.
 */
final class DeviceReader {
  /** USBGuard's USB_GENERIC_STRING_MAX_LENGTH: a string descriptor's 255 bytes minus header. */
  static final int MAX_STRING = 253;

  private static final Pattern HEX4 = Pattern.compile("[0-9a-fA-F]{4}");
  private static final MessageDigest SHA256 = newSha256();

  private final Path root;

  DeviceReader(Path root) {
    this.root = root;
  }

  /**
   * Reads the device at {@code sysPath} (below the root); {@code parentHashes} holds the hashes of
   * USB devices already read, by sysPath.
   */
  UsbDevice read(String sysPath, Map<String, String> parentHashes)
      throws IOException, DescriptorException {
    return read(sysPath, parentHashes, null);
  }

  /**
   * @param usbPaths USB devices already known as such (their {@code uevent} said so when they were
   *     read: a scan's list, or the present devices on hotplug), so a parent among them is not read
   *     again; null when there are none
   */
  UsbDevice read(String sysPath, Map<String, String> parentHashes, Set<String> usbPaths)
      throws IOException, DescriptorException {
    Path dir = root.resolve(sysPath.substring(1));
    String port = dir.getFileName().toString();
    String vendor = required(dir, "idVendor");
    String product = required(dir, "idProduct");
    if (!HEX4.matcher(vendor).matches() || !HEX4.matcher(product).matches()) {
      throw new DescriptorException(
          "idVendor/idProduct are '"
              + printable(vendor)
              + "'/'"
              + printable(product)
              + "'; expected 4 hex digits each");
    }
    String name = bounded(dir, "product");
    String serial = bounded(dir, "serial");
    String connectType = bounded(dir, "port/connect_type");
    String manufacturer = bounded(dir, "manufacturer");
    boolean authorized = Sysfs.readText(dir.resolve("authorized")).orElse("0").equals("1");
    byte[] descriptors =
        Sysfs.readBytes(dir.resolve("descriptors"), Descriptors.MAX_BYTES)
            .orElseThrow(() -> new DescriptorException("no descriptors attribute"));
    MessageDigest digest = sha256();
    for (String field : List.of(name, vendor, product, serial)) {
      digest.update(field.getBytes(StandardCharsets.ISO_8859_1));
    }
    List<UsbInterfaceType> interfaces = Descriptors.walk(descriptors, digest);
    String hash = Base64.getEncoder().encodeToString(digest.digest());

    String parentPath = parentOf(sysPath);
    boolean parentIsUsb =
        (usbPaths != null && usbPaths.contains(parentPath))
            || Sysfs.isUsbDevice(root.resolve(parentPath.substring(1)));
    String parentHash;
    if (parentIsUsb) {
      parentHash = parentHashes.get(parentPath);
      if (parentHash == null) {
        throw new DescriptorException("its parent " + parentPath + " was refused or is unknown");
      }
    } else {
      parentHash = hashOf(parentPath);
    }
    boolean rootHub =
        port.startsWith("usb")
            && interfaces.size() == 1
            && interfaces.get(0).bClass() == UsbInterfaceType.CLASS_HUB
            && interfaces.get(0).subClass() == 0;
    return new UsbDevice(
        sysPath,
        port,
        vendor,
        product,
        name,
        manufacturer,
        serial,
        connectType,
        authorized,
        rootHub,
        parentPath,
        parentIsUsb,
        interfaces,
        hash,
        parentHash);
  }

  /** At most 16 chars of a sysfs value, other than printable ASCII as \xhh: safe for logs. */
  static String printable(String value) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length() && i < 16; i++) {
      char c = value.charAt(i);
      b.append(
          c >= 0x20 && c < 0x7f
              ? String.valueOf(c)
              : String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
    }
    return value.length() > 16 ? b + "..." : b.toString();
  }

  static String parentOf(String sysPath) {
    int slash = sysPath.lastIndexOf('/');
    return slash <= 0 ? "/" : sysPath.substring(0, slash);
  }

  static String hashOf(String text) {
    MessageDigest digest = sha256();
    return Base64.getEncoder()
        .encodeToString(digest.digest(text.getBytes(StandardCharsets.ISO_8859_1)));
  }

  private static String required(Path dir, String attribute)
      throws IOException, DescriptorException {
    return Sysfs.readText(dir.resolve(attribute))
        .orElseThrow(() -> new DescriptorException("no " + attribute + " attribute"));
  }

  private static String bounded(Path dir, String attribute)
      throws IOException, DescriptorException {
    String value = Sysfs.readText(dir.resolve(attribute)).orElse("");
    if (value.length() > MAX_STRING) {
      throw new DescriptorException(
          attribute + " is " + value.length() + " bytes; expected at most " + MAX_STRING);
    }
    return value;
  }

  /** A fresh SHA-256: a clone of one instance (no provider lookup per device, per hash). */
  private static MessageDigest sha256() {
    try {
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
    }
  }
}
