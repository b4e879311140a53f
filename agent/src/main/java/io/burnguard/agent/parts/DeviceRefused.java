package io.burnguard.agent.parts;

import java.nio.file.Path;

/**
 * A device that must not be sanitized or is not the registered part. Each reason carries the
 * operator's next step; the message names what was found, what was expected and the device.
 */
public final class DeviceRefused extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the device was refused. */
  public enum Reason {
    /** The path is neither a block device nor a regular image file, or sysfs does not know it. */
    NOT_A_DEVICE("give the whole-device node of the part (e.g. /dev/sdb) or an image file"),
    /** A partition was given: sanitizing it would leave the rest of the part unsanitized. */
    PARTITION("give the whole device the partition belongs to"),
    /** The capacity differs from the registration. */
    SIZE_MISMATCH("check that the node is the registered part (lsblk -o NAME,SIZE,SERIAL)"),
    /** The serial number differs from the registration. */
    SERIAL_MISMATCH("check that the node is the registered part (lsblk -o NAME,SIZE,SERIAL)"),
    /** The USB device it sits on (vendor, product, USB serial) differs from the registration. */
    USB_MISMATCH(
        "put the part in the reader it was registered on, or check that the node is the part"
            + " (lsusb, lsblk -o NAME,SIZE,SERIAL)"),
    /** The device or one of its partitions is mounted. */
    MOUNTED("unmount it (and each of its partitions) first"),
    /** Another device (device mapper, RAID) is stacked on it. */
    HELD("remove the device mapper or RAID device stacked on it first"),
    /** The root file system lives on this disk. */
    SYSTEM_DISK("this is the station's own system disk; give the part's device node instead"),
    /** The BurnGuard data directory lives on this disk. */
    DATA_DISK("this disk holds BurnGuard's data directory; give the part's device node instead"),
    /** sysfs or the mount table could not be read. */
    UNREADABLE("check that /sys and /proc are mounted and readable by the daemon");

    private final String fix;

    Reason(String fix) {
      this.fix = fix;
    }

    /** The operator's next step. */
    public String fix() {
      return fix;
    }
  }

  private final Reason reason;
  private final transient Path device;

  DeviceRefused(Reason reason, Path device, String found) {
    super(device + ": " + found + "; " + reason.fix());
    this.reason = reason;
    this.device = device;
  }

  /** Why. */
  public Reason reason() {
    return reason;
  }

  /** The device refused. */
  public Path device() {
    return device;
  }
}
