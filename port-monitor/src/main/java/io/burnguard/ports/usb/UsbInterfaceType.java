package io.burnguard.ports.usb;

import java.util.Locale;

/**
 * A USB interface's class, subclass and protocol, as USBGuard writes them ({@code 08:06:50}).
 *
 * @param bClass bInterfaceClass, 0..255
 * @param subClass bInterfaceSubClass, 0..255
 * @param protocol bInterfaceProtocol, 0..255
 */
public record UsbInterfaceType(int bClass, int subClass, int protocol) {

  /** USB class codes used by the monitor's alerts and docs. */
  public static final int CLASS_HID = 0x03;

  public static final int CLASS_MASS_STORAGE = 0x08;
  public static final int CLASS_HUB = 0x09;

  public UsbInterfaceType {
    if (bClass < 0 || bClass > 255 || subClass < 0 || subClass > 255) {
      throw new IllegalArgumentException(
          "interface class/subclass out of 0..255: " + bClass + "/" + subClass);
    }
    if (protocol < 0 || protocol > 255) {
      throw new IllegalArgumentException("interface protocol out of 0..255: " + protocol);
    }
  }

  /** {@code cc:ss:pp} in lower-case hex, the form of USBGuard's {@code with-interface}. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%02x:%02x:%02x", bClass, subClass, protocol);
  }
}
