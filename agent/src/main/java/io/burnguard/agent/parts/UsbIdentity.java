package io.burnguard.agent.parts;

import io.burnguard.config.UntrustedText;
import io.burnguard.ports.usb.UsbDevice;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The USB device a part sits on (a stick, or the card reader of an SD card), as the port monitor's
 * inventory reads it from sysfs: the parent of the part's block device. Strings come from the
 * device's own descriptors, so they are neutralised (control characters escaped) and bounded here.
 *
 * @param vendorId idVendor, 4 lower-case hex digits
 * @param productId idProduct, 4 lower-case hex digits
 * @param manufacturer the manufacturer string, or null when the device has none
 * @param product the product string, or null when the device has none
 * @param serial the USB serial string, or null when the device has none
 * @param port the kernel's name for the USB device ({@code 1-2}: bus 1, port 2)
 */
public record UsbIdentity(
    String vendorId,
    String productId,
    String manufacturer,
    String product,
    String serial,
    String port) {
  private static final int MAX_TEXT = 128;

  public UsbIdentity {
    if (vendorId == null || !vendorId.matches("[0-9a-f]{4}")) {
      throw new IllegalArgumentException("USB vendor id must be 4 hex digits, found " + vendorId);
    }
    if (productId == null || !productId.matches("[0-9a-f]{4}")) {
      throw new IllegalArgumentException("USB product id must be 4 hex digits, found " + productId);
    }
    if (port == null || port.isEmpty()) {
      throw new IllegalArgumentException("a USB device has a port name");
    }
  }

  /** The identity of a device from the port monitor's inventory. */
  public static UsbIdentity of(UsbDevice d) {
    return new UsbIdentity(
        d.vendorId().toLowerCase(Locale.ROOT),
        d.productId().toLowerCase(Locale.ROOT),
        text(d.manufacturer()),
        text(d.name()),
        text(d.serial()),
        UntrustedText.neutralize(d.port(), MAX_TEXT));
  }

  /** {@code vvvv:pppp}, as lsusb and USBGuard write it. */
  public String id() {
    return vendorId + ":" + productId;
  }

  /** One line: id, manufacturer and product, serial, port. */
  public String describe() {
    StringBuilder b = new StringBuilder(id());
    if (manufacturer != null) {
      b.append(' ').append(manufacturer);
    }
    if (product != null) {
      b.append(' ').append(product);
    }
    b.append(", serial ").append(serial == null ? "(none)" : serial);
    return b.append(", port ").append(port).toString();
  }

  /**
   * The inventory keeps descriptor strings as byte strings (one char per byte); sysfs holds them as
   * UTF-8 (the kernel converts the descriptors' UTF-16), so they are decoded as UTF-8 here.
   */
  private static String text(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String utf8 =
        new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).strip();
    return UntrustedText.neutralize(utf8, MAX_TEXT);
  }
}
