package io.burnguard.agent.parts;

/**
 * What a part is, as read from the device at registration.
 *
 * @param kind block device, loop device or image file
 * @param serial the serial number the device reports, or null if it reports none
 * @param model the model string, or null
 * @param capacityBytes the capacity in bytes
 * @param removable whether the kernel marks it removable
 * @param usb the USB device it sits on (vendor, product, serial of the block device's parent), or
 *     null when it is not on USB (image files, loop devices, other buses)
 */
public record PartIdentity(
    DeviceKind kind,
    String serial,
    String model,
    long capacityBytes,
    boolean removable,
    UsbIdentity usb) {
  /** An identity without a USB parent. */
  public PartIdentity(
      DeviceKind kind, String serial, String model, long capacityBytes, boolean removable) {
    this(kind, serial, model, capacityBytes, removable, null);
  }

  public PartIdentity {
    if (kind == null || kind == DeviceKind.PARTITION) {
      throw new IllegalArgumentException("a part is a whole device or image, found " + kind);
    }
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException(
          "a part's capacity must be positive, found " + capacityBytes);
    }
  }

  /** The identity of a probed device on the USB device {@code usb} (null when none). */
  public static PartIdentity of(DeviceInfo d, UsbIdentity usb) {
    return new PartIdentity(d.kind(), d.serial(), d.model(), d.sizeBytes(), d.removable(), usb);
  }

  /** NIST "media type" in words. */
  public String mediaType() {
    return switch (kind) {
      case IMAGE_FILE -> "disk image file";
      case LOOP_DEVICE -> "loop block device (file-backed)";
      default -> removable ? "flash memory, removable block device" : "block device";
    };
  }
}
