package io.burnguard.ports.serial;

import java.nio.file.Path;
import java.util.List;

/**
 * One serial port present on the station, from sysfs ({@code class/tty}) and {@code
 * /dev/serial/by-id}.
 *
 * @param name the kernel's tty name, e.g. {@code ttyUSB0}
 * @param node the device node, e.g. {@code /dev/ttyUSB0} (it may not exist if udev has not made it)
 * @param byId the {@code /dev/serial/by-id} links that lead to {@code node}, sorted; empty when
 *     none
 * @param driver the kernel driver of the port's device ({@code ftdi_sio}, {@code cdc_acm}, {@code
 *     serial8250}), empty when unknown
 * @param usb the USB device the port belongs to, null for a port that is not on USB
 */
public record SerialPort(String name, Path node, List<Path> byId, String driver, UsbParent usb) {
  public SerialPort {
    byId = List.copyOf(byId);
  }

  /**
   * The USB device a serial port belongs to (the tty's nearest {@code usb_device} ancestor).
   *
   * @param port the device's kernel name, USBGuard's {@code via-port} ({@code 1-2.3})
   * @param vendorId idVendor, 4 hex digits
   * @param productId idProduct, 4 hex digits
   * @param serial the device's serial string, empty when it has none (hostile: escape before
   *     printing)
   */
  public record UsbParent(String port, String vendorId, String productId, String serial) {
    /** {@code vvvv:pppp}, as in rules. */
    public String id() {
      return vendorId + ":" + productId;
    }
  }
}
