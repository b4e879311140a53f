package io.burnguard.ports.usb;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The USB devices present under a sysfs root ({@code /sys} on a station, a temp dir or a umockdev
 * testbed in tests).
 *
 * <p>Devices are found as USBGuard finds them: the entries of {@code bus/usb/devices} whose {@code
 * uevent} says {@code DEVTYPE=usb_device}. Interface classes come from the binary {@code
 * descriptors} attribute, never from interface directories, which do not exist while a device is
 * unauthorized. Symlinks are resolved by hand (lexically, below the root), so a link pointing out
 * of the root is refused rather than followed.
 */
public final class UsbInventory {
  /** The station's sysfs. */
  public static final Path DEFAULT_SYSFS_ROOT = Path.of("/sys");

  private static final Logger LOG = LoggerFactory.getLogger(UsbInventory.class);

  private final Path root;

  private UsbInventory(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The inventory of the sysfs tree at {@code sysfsRoot}. */
  public static UsbInventory at(Path sysfsRoot) {
    return new UsbInventory(Objects.requireNonNull(sysfsRoot, "sysfsRoot"));
  }

  public Path sysfsRoot() {
    return root;
  }

  /**
   * Every USB device present, parents before children. A machine without a USB bus gives an empty
   * snapshot.
   *
   * @throws IOException when {@code bus/usb/devices} exists but cannot be listed
   */
  public UsbSnapshot scan() throws IOException {
    Path bus = root.resolve("bus/usb/devices");
    if (!Files.isDirectory(bus)) {
      LOG.debug("no USB bus under {}: {} does not exist", root, bus);
      return new UsbSnapshot(List.of(), List.of());
    }
    List<String> paths = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(bus)) {
      for (Path entry : entries) {
        String sysPath = resolve(bus, entry);
        if (sysPath != null && Sysfs.isUsbDevice(root.resolve(sysPath.substring(1)))) {
          paths.add(sysPath);
        }
      }
    }
    paths.sort(ENUMERATION_ORDER);
    return readAll(paths);
  }

  /**
   * The device at {@code sysPath} (below the root, e.g. a uevent's DEVPATH), or the reason it
   * cannot be trusted; {@code known} holds devices already described, for the parent hash.
   */
  public ReadResult read(String sysPath, List<UsbDevice> known) {
    Map<String, String> hashes = new HashMap<>();
    for (UsbDevice d : known) {
      hashes.put(d.sysPath(), d.hash());
    }
    String port = sysPath.substring(sysPath.lastIndexOf('/') + 1);
    try {
      // A known device's uevent said usb_device when it was read: its children need not read it
      // again to learn that (one open fewer on the hotplug path, as in a scan).
      return new ReadResult(new DeviceReader(root).read(sysPath, hashes, hashes.keySet()), null);
    } catch (IOException | DescriptorException e) {
      return new ReadResult(null, new UsbProblem(sysPath, port, e.getMessage()));
    }
  }

  /**
   * Either a device or the reason it was refused.
   *
   * @param device the device, null when refused
   * @param problem why it was refused, null when read
   */
  public record ReadResult(UsbDevice device, UsbProblem problem) {}

  private UsbSnapshot readAll(List<String> paths) {
    DeviceReader reader = new DeviceReader(root);
    Set<String> usbPaths = new HashSet<>(paths);
    Map<String, String> hashes = new HashMap<>();
    List<UsbDevice> devices = new ArrayList<>();
    List<UsbProblem> refused = new ArrayList<>();
    for (String sysPath : paths) {
      String port = sysPath.substring(sysPath.lastIndexOf('/') + 1);
      try {
        UsbDevice device = reader.read(sysPath, hashes, usbPaths);
        hashes.put(sysPath, device.hash());
        devices.add(device);
      } catch (IOException | DescriptorException e) {
        LOG.warn("USB device {} ({}) refused: {}", port, sysPath, e.getMessage());
        refused.add(new UsbProblem(sysPath, port, e.getMessage()));
      }
    }
    return new UsbSnapshot(devices, refused);
  }

  /** {@code /devices/...} for a bus entry, or null when it leads outside the root. */
  private String resolve(Path bus, Path entry) throws IOException {
    Path target = entry;
    if (Files.isSymbolicLink(entry)) {
      target = bus.resolve(Files.readSymbolicLink(entry)).normalize();
    }
    if (!target.startsWith(root) || !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      LOG.warn("ignoring {}: it leads to {}, outside {} or not a directory", entry, target, root);
      return null;
    }
    return "/" + root.relativize(target).toString();
  }

  /**
   * USBGuard's enumeration order: root hubs ({@code usbN}) first, then shorter port names, then by
   * name. A child's port name is always longer than its parent's, so parents come first.
   */
  private static final Comparator<String> ENUMERATION_ORDER =
      Comparator.comparing((String p) -> !baseName(p).startsWith("usb"))
          .thenComparingInt(p -> baseName(p).length())
          .thenComparing(UsbInventory::baseName);

  private static String baseName(String sysPath) {
    return sysPath.substring(sysPath.lastIndexOf('/') + 1);
  }
}
