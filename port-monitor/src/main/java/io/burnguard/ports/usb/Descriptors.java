package io.burnguard.ports.usb;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parser for the sysfs {@code descriptors} attribute: the device descriptor followed by the raw
 * descriptors of every configuration (USB 2.0 §9.6).
 *
 * <p>Design. The attribute is written by the device, so every byte is hostile. The walk is the one
 * USBGuard 1.1 makes, because the device hash depends on it: each descriptor is a {@code bLength,
 * bDescriptorType} header plus {@code bLength - 2} bytes; device descriptors must be 18 bytes,
 * configuration and interface descriptors 9, endpoints 7 (or 9, audio); other types (strings, IADs,
 * class-specific) are taken as they are. Order is checked the same way: one device descriptor, then
 * configurations; an interface needs a configuration before it, an endpoint an interface. Every
 * byte walked goes into the hash, except that a Linux root hub's bcdDevice (the kernel version) is
 * hashed as zero so that a kernel update keeps its hash. Anything else is refused with the offset
 * and what was expected; nothing here throws an unchecked exception on bad input.
 */
final class Descriptors {
  /** Larger than any real device's attribute (configurations are bounded by wTotalLength). */
  static final int MAX_BYTES = 1 << 20;

  private static final int TYPE_DEVICE = 1;
  private static final int TYPE_CONFIGURATION = 2;
  private static final int TYPE_INTERFACE = 4;
  private static final int TYPE_ENDPOINT = 5;
  private static final int DEVICE_LENGTH = 18;
  private static final int LINUX_FOUNDATION = 0x1d6b;

  private Descriptors() {}

  /** Walks {@code data}, adds it to {@code digest} and returns the interface types in order. */
  static List<UsbInterfaceType> walk(byte[] data, MessageDigest digest) throws DescriptorException {
    if (data.length > MAX_BYTES) {
      throw new DescriptorException(
          "descriptors attribute is " + data.length + " bytes, expected at most " + MAX_BYTES);
    }
    Order order = new Order();
    int at = 0;
    while (at < data.length) {
      int length = header(data, at);
      int type = data[at + 1] & 0xff;
      checkLength(at, type, length);
      order.visit(data, at, type);
      hash(digest, data, at, length, type == TYPE_DEVICE && isLinuxRootHub(data, at));
      at += length;
    }
    if (at < DEVICE_LENGTH) {
      throw new DescriptorException(
          "descriptors attribute holds " + at + " bytes, less than one 18-byte device descriptor");
    }
    return order.interfaces;
  }

  /** The bLength of the descriptor at {@code at}, checked against the data left. */
  private static int header(byte[] data, int at) throws DescriptorException {
    if (data.length - at < 2) {
      throw bad(at, "a partial descriptor header (1 byte left)");
    }
    int length = data[at] & 0xff;
    if (length < 2) {
      throw bad(at, "bLength " + length + ", less than the 2-byte header");
    }
    if (length > data.length - at) {
      throw bad(at, "bLength " + length + " but only " + (data.length - at) + " bytes left");
    }
    return length;
  }

  /** Which descriptors came before: USBGuard's order checks, and the interface types seen. */
  private static final class Order {
    final List<UsbInterfaceType> interfaces = new ArrayList<>();
    boolean device;
    boolean configuration;
    boolean iface;

    void visit(byte[] data, int at, int type) throws DescriptorException {
      switch (type) {
        case TYPE_DEVICE -> {
          if (device) {
            throw bad(at, "a second device descriptor");
          }
          device = true;
        }
        case TYPE_CONFIGURATION -> {
          if (!device) {
            throw bad(at, "a configuration descriptor before the device descriptor");
          }
          configuration = true;
          iface = false;
        }
        case TYPE_INTERFACE -> {
          if (!configuration) {
            throw bad(at, "an interface descriptor before any configuration descriptor");
          }
          iface = true;
          interfaces.add(
              new UsbInterfaceType(data[at + 5] & 0xff, data[at + 6] & 0xff, data[at + 7] & 0xff));
        }
        case TYPE_ENDPOINT -> {
          if (!iface) {
            throw bad(at, "an endpoint descriptor before any interface descriptor");
          }
        }
        default -> {
          // Strings, IADs and class-specific descriptors: hashed, not interpreted.
        }
      }
    }
  }

  private static void checkLength(int at, int type, int length) throws DescriptorException {
    boolean ok =
        switch (type) {
          case TYPE_DEVICE -> length == DEVICE_LENGTH;
          case TYPE_CONFIGURATION, TYPE_INTERFACE -> length == 9;
          case TYPE_ENDPOINT -> length == 7 || length == 9;
          default -> true;
        };
    if (!ok) {
      throw bad(at, "descriptor type " + type + " with bLength " + length + " (wrong size)");
    }
  }

  private static boolean isLinuxRootHub(byte[] d, int at) {
    int vendor = (d[at + 8] & 0xff) | (d[at + 9] & 0xff) << 8;
    int product = (d[at + 10] & 0xff) | (d[at + 11] & 0xff) << 8;
    return vendor == LINUX_FOUNDATION && product >= 1 && product <= 3;
  }

  private static void hash(MessageDigest digest, byte[] d, int at, int length, boolean rootHub) {
    if (!rootHub) {
      digest.update(d, at, length);
      return;
    }
    byte[] copy = java.util.Arrays.copyOfRange(d, at, at + length);
    copy[12] = 0; // bcdDevice, USB 2.0 §9.6.1: the root hub reports the kernel version here
    copy[13] = 0;
    digest.update(copy);
  }

  private static DescriptorException bad(int at, String found) {
    return new DescriptorException(
        String.format(
            Locale.ROOT,
            "descriptors attribute at byte %d: found %s; expected a well-formed USB descriptor"
                + " list (USB 2.0 §9.6)",
            at,
            found));
  }
}
