package io.burnguard.agent.parts;

import java.nio.file.Path;
import java.util.List;

/**
 * A device as the kernel describes it now (sysfs and the mount table), read by {@link DeviceProbe}.
 * Text from sysfs comes from the device's own descriptors and is hostile: it is trimmed, bounded
 * and stripped of control characters when read.
 *
 * @param path the node or file given
 * @param kind what it is
 * @param name the kernel name ({@code sdb}, {@code loop0}); for an image file its file name
 * @param disk the whole disk it belongs to ({@code sdb} for {@code sdb1}); {@code name} for a disk
 * @param serial the device's serial number, or null when it reports none (loop devices, images)
 * @param model the model string, or null
 * @param sizeBytes the capacity in bytes
 * @param removable whether the kernel marks the disk removable
 * @param devNumber the {@code major:minor} of the node, or null for an image file
 * @param mountedAt mount points of the device itself or of any of its partitions
 * @param holders kernel names of devices stacked on it (device mapper, RAID), which use it
 */
public record DeviceInfo(
    Path path,
    DeviceKind kind,
    String name,
    String disk,
    String serial,
    String model,
    long sizeBytes,
    boolean removable,
    String devNumber,
    List<String> mountedAt,
    List<String> holders) {
  public DeviceInfo {
    mountedAt = List.copyOf(mountedAt);
    holders = List.copyOf(holders);
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("device size must not be negative, found " + sizeBytes);
    }
  }

  /** Whether this is a kernel block device (not an image file). */
  public boolean isBlockDevice() {
    return kind != DeviceKind.IMAGE_FILE;
  }
}
