package io.burnguard.ports.usb;

import java.util.List;
import java.util.Objects;

/**
 * One USB device as the kernel presents it in sysfs, with USBGuard's identity for it.
 *
 * <p>Strings come from the device itself (its descriptors), so they are hostile: they are kept as
 * read (bounded by the inventory) and must be escaped before they reach a terminal or log; {@code
 * PolicyGenerator} escapes them the way USBGuard does.
 *
 * @param sysPath the device's path below the sysfs root, e.g. {@code /devices/pci0000:00/.../1-2}
 * @param port the kernel's name for the device, USBGuard's {@code via-port} ({@code 1-2}, {@code
 *     usb1})
 * @param vendorId idVendor, 4 hex digits as sysfs gives it
 * @param productId idProduct, 4 hex digits as sysfs gives it
 * @param name the product string, empty when the device has none
 * @param manufacturer the manufacturer string, empty when the device has none
 * @param serial the serial string, empty when the device has none
 * @param connectType {@code port/connect_type} ({@code hotplug}, {@code hardwired}, ...), empty
 *     when unknown
 * @param authorized the kernel's current {@code authorized} value
 * @param rootHub true for a controller's root hub ({@code usbN} with one hub interface)
 * @param parentSysPath the parent's path below the sysfs root
 * @param parentIsUsb true when the parent is a USB device (a hub), false for a controller
 * @param interfaces interface types in descriptor order, from the {@code descriptors} attribute
 * @param hash USBGuard's device hash (base64 SHA-256)
 * @param parentHash USBGuard's parent hash: the parent device's hash, or the hash of the
 *     controller's sysfs path for a root hub
 */
public record UsbDevice(
    String sysPath,
    String port,
    String vendorId,
    String productId,
    String name,
    String manufacturer,
    String serial,
    String connectType,
    boolean authorized,
    boolean rootHub,
    String parentSysPath,
    boolean parentIsUsb,
    List<UsbInterfaceType> interfaces,
    String hash,
    String parentHash) {

  public UsbDevice {
    Objects.requireNonNull(sysPath, "sysPath");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(vendorId, "vendorId");
    Objects.requireNonNull(productId, "productId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(manufacturer, "manufacturer");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(connectType, "connectType");
    Objects.requireNonNull(parentSysPath, "parentSysPath");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(parentHash, "parentHash");
    interfaces = List.copyOf(interfaces);
  }

  /** {@code vvvv:pppp}, USBGuard's {@code id}. */
  public String id() {
    return vendorId + ":" + productId;
  }

  /** True when any interface has the given class (e.g. {@link UsbInterfaceType#CLASS_HID}). */
  public boolean hasInterfaceClass(int bClass) {
    return interfaces.stream().anyMatch(i -> i.bClass() == bClass);
  }
}
