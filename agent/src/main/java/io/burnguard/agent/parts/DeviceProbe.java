package io.burnguard.agent.parts;

import io.burnguard.agent.parts.DeviceRefused.Reason;
import io.burnguard.agent.parts.MountTable.Mount;
import io.burnguard.ports.usb.UsbDevice;
import io.burnguard.ports.usb.UsbInventory;
import io.burnguard.ports.usb.UsbProblem;
import io.burnguard.ports.usb.UsbSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Identifies a device and decides whether it may be sanitized.
 *
 * <p>Threat: wiping the wrong disk. An engineer types {@code /dev/sda} for {@code /dev/sdb}, or a
 * stick is re-enumerated under another name between registration and sanitizing. Before a single
 * byte is written the device must prove it is the registered part (size and serial as read from the
 * kernel, not from the request), must not be in use (mounted itself, a partition of it mounted, or
 * a device mapper / RAID device stacked on it), and must not be the disk the station runs from or
 * keeps its data on. The system and data disks are found from the mount entries of {@code /} and of
 * the data directory, followed through partitions and device-mapper slaves to the physical disks,
 * so LVM and partitioned roots are covered.
 *
 * <p>sysfs and the mount table are injected (roots), so every refusal is testable without the disks
 * it protects.
 */
public final class DeviceProbe {
  private static final int S_IFMT = 0170000;
  private static final int S_IFBLK = 0060000;

  private final Sysfs sysfs;
  private final Path mountInfo;
  private final Path dataDir;

  /**
   * @param sysRoot sysfs ({@code /sys})
   * @param mountInfo the mount table ({@code /proc/self/mountinfo})
   * @param dataDir BurnGuard's data directory (station.yaml {@code station.dataDir})
   */
  public DeviceProbe(Path sysRoot, Path mountInfo, Path dataDir) {
    this.sysfs = new Sysfs(sysRoot);
    this.mountInfo = mountInfo;
    this.dataDir = dataDir.toAbsolutePath().normalize();
  }

  /** The probe of this machine. */
  public static DeviceProbe system(Path dataDir) {
    return new DeviceProbe(Path.of("/sys"), Path.of("/proc/self/mountinfo"), dataDir);
  }

  /** Reads what the kernel says about {@code device} (a node, a symlink to one, or an image). */
  public DeviceInfo probe(Path device) throws DeviceRefused {
    if (Files.isRegularFile(device)) {
      return image(device, mounts(device));
    }
    if (!Files.exists(device)) {
      throw new DeviceRefused(Reason.NOT_A_DEVICE, device, "no such file or device node");
    }
    return block(device, kernelName(device));
  }

  /**
   * The kernel name of a block device node, found from the node's device number (its {@code
   * st_rdev}), never from its file name: a node called {@code sdz} made with {@code mknod} for the
   * system disk's numbers writes to the system disk, and must be checked as that disk.
   */
  String kernelName(Path device) throws DeviceRefused {
    int mode;
    long rdev;
    try {
      mode = (Integer) Files.getAttribute(device, "unix:mode");
      rdev = (Long) Files.getAttribute(device, "unix:rdev");
    } catch (IOException | RuntimeException e) {
      throw new DeviceRefused(Reason.UNREADABLE, device, "cannot read the node: " + e);
    }
    if ((mode & S_IFMT) != S_IFBLK) {
      throw new DeviceRefused(
          Reason.NOT_A_DEVICE, device, "it is neither a block device nor a regular file");
    }
    String majMin = majMin(rdev);
    return sysfs
        .nameOf(majMin)
        .orElseThrow(
            () ->
                new DeviceRefused(
                    Reason.NOT_A_DEVICE, device, "sysfs knows no block device " + majMin));
  }

  /** {@code major:minor} of a Linux {@code dev_t} (the glibc encoding, sys/sysmacros.h). */
  static String majMin(long dev) {
    long major = ((dev & 0x00000000000fff00L) >>> 8) | ((dev & 0xfffff00000000000L) >>> 32);
    long minor = (dev & 0x00000000000000ffL) | ((dev & 0x00000ffffff00000L) >>> 12);
    return major + ":" + minor;
  }

  /** As {@link #probe} for a node whose kernel name is known (tests with a fake sysfs). */
  DeviceInfo block(Path device, String name) throws DeviceRefused {
    MountTable mounts = mounts(device);
    Path dir =
        sysfs
            .dir(name)
            .orElseThrow(
                () ->
                    new DeviceRefused(
                        Reason.NOT_A_DEVICE, device, "sysfs knows no block device " + name));
    try {
      DeviceKind kind = kindOf(dir);
      String disk = sysfs.diskOf(name);
      Path diskDir = sysfs.dir(disk).orElse(dir);
      long size = sizeOf(dir, device);
      List<String> names = new ArrayList<>(List.of(name));
      List<String> holders = new ArrayList<>(sysfs.list(dir.resolve("holders")));
      if (kind != DeviceKind.PARTITION) {
        for (String p : sysfs.partitions(dir)) {
          names.add(p);
          sysfs.dir(p).ifPresent(pd -> holders.addAll(listQuietly(pd.resolve("holders"))));
        }
      }
      return new DeviceInfo(
          device,
          kind,
          name,
          disk,
          sysfs.serial(diskDir),
          sysfs.model(diskDir),
          size,
          "1".equals(Sysfs.attribute(diskDir.resolve("removable"))),
          Sysfs.attribute(dir.resolve("dev")),
          mountedAt(names, mounts),
          holders);
    } catch (IOException e) {
      throw new DeviceRefused(Reason.UNREADABLE, device, "cannot read sysfs: " + e);
    }
  }

  /**
   * The USB device a block device sits on (a stick, or a card reader), read through the port
   * monitor's inventory ({@code bus/usb/devices} under the same sysfs root): the nearest USB device
   * whose sysfs directory holds the block device's. Empty for an image file, a loop device and a
   * disk on another bus.
   *
   * @throws DeviceRefused UNREADABLE when the inventory cannot be read, or when the USB device the
   *     part sits on was refused by it (malformed descriptors): the part's identity would be
   *     incomplete
   */
  public Optional<UsbIdentity> usbParent(DeviceInfo d) throws DeviceRefused {
    if (!d.isBlockDevice() || d.kind() == DeviceKind.LOOP_DEVICE) {
      return Optional.empty();
    }
    Optional<Path> dir = sysfs.dir(d.disk());
    try {
      Path root = sysfs.root().toRealPath();
      if (dir.isEmpty() || !dir.get().startsWith(root)) {
        return Optional.empty();
      }
      Path rel = Path.of("/").resolve(root.relativize(dir.get()));
      UsbSnapshot usb = UsbInventory.at(sysfs.root()).scan();
      for (UsbProblem bad : usb.refused()) {
        if (rel.startsWith(Path.of(bad.sysPath()))) {
          throw new DeviceRefused(
              Reason.UNREADABLE,
              d.path(),
              "the USB device it sits on (port "
                  + bad.port()
                  + ") was refused by the port monitor: "
                  + bad.reason());
        }
      }
      UsbDevice best = null;
      for (UsbDevice u : usb.devices()) {
        Path up = Path.of(u.sysPath());
        if (!u.rootHub()
            && rel.startsWith(up)
            && (best == null || up.getNameCount() > Path.of(best.sysPath()).getNameCount())) {
          best = u;
        }
      }
      return Optional.ofNullable(best).map(UsbIdentity::of);
    } catch (IOException e) {
      throw new DeviceRefused(
          Reason.UNREADABLE, d.path(), "cannot read the USB devices in sysfs: " + e);
    }
  }

  /**
   * Refuses a device that is not the registered part or must not be written.
   *
   * @param expectedSize the registered capacity in bytes
   * @param expectedSerial the registered serial, or null if the part reported none
   */
  public void requireSafe(DeviceInfo d, long expectedSize, String expectedSerial)
      throws DeviceRefused {
    if (d.kind() == DeviceKind.PARTITION) {
      throw new DeviceRefused(
          Reason.PARTITION, d.path(), d.name() + " is a partition of " + d.disk());
    }
    requireNotStationDisk(d);
    if (d.sizeBytes() != expectedSize) {
      throw new DeviceRefused(
          Reason.SIZE_MISMATCH,
          d.path(),
          String.format(
              Locale.ROOT,
              "capacity is %d bytes, the registered part has %d bytes",
              d.sizeBytes(),
              expectedSize));
    }
    if (!Objects.equals(d.serial(), expectedSerial)) {
      throw new DeviceRefused(
          Reason.SERIAL_MISMATCH,
          d.path(),
          "serial is "
              + quoted(d.serial())
              + ", the registered part has "
              + quoted(expectedSerial));
    }
    if (!d.mountedAt().isEmpty()) {
      throw new DeviceRefused(
          Reason.MOUNTED,
          d.path(),
          d.name() + " is mounted at " + String.join(", ", d.mountedAt()));
    }
    if (!d.holders().isEmpty()) {
      throw new DeviceRefused(
          Reason.HELD, d.path(), d.name() + " is used by " + String.join(", ", d.holders()));
    }
  }

  private void requireNotStationDisk(DeviceInfo d) throws DeviceRefused {
    MountTable mounts = mounts(d.path());
    if (!d.isBlockDevice()) {
      Path real = realOrSelf(d.path());
      if (real.startsWith(realOrSelf(dataDir))) {
        throw new DeviceRefused(
            Reason.DATA_DISK, d.path(), "the image file is inside the data directory " + dataDir);
      }
      return;
    }
    if (disksOf(Path.of("/"), mounts).contains(d.disk())) {
      throw new DeviceRefused(
          Reason.SYSTEM_DISK, d.path(), d.disk() + " holds the root file system /");
    }
    if (disksOf(dataDir, mounts).contains(d.disk())) {
      throw new DeviceRefused(
          Reason.DATA_DISK, d.path(), d.disk() + " holds the data directory " + dataDir);
    }
  }

  /** The physical disks behind the file system holding {@code path}. */
  Set<String> disksOf(Path path, MountTable mounts) throws DeviceRefused {
    Optional<Mount> m = mounts.containing(realOrSelf(path));
    Set<String> out = new HashSet<>();
    if (m.isEmpty()) {
      return out;
    }
    try {
      Optional<String> name = sysfs.nameOf(m.get().devNumber());
      if (name.isEmpty() && m.get().source().startsWith("/dev/")) {
        name = Optional.of(realOrSelf(Path.of(m.get().source())).getFileName().toString());
      }
      if (name.isPresent()) {
        out.addAll(sysfs.physicalDisks(name.get()));
      }
    } catch (IOException e) {
      throw new DeviceRefused(Reason.UNREADABLE, path, "cannot read sysfs: " + e);
    }
    return out;
  }

  private DeviceInfo image(Path image, MountTable mounts) throws DeviceRefused {
    try {
      long size = Files.size(image);
      List<String> mounted = new ArrayList<>();
      List<String> holders = new ArrayList<>();
      Path real = image.toRealPath();
      for (String loop : loopsBacking(real)) {
        Optional<Path> dir = sysfs.dir(loop);
        holders.add(loop);
        if (dir.isPresent()) {
          List<String> names = new ArrayList<>(List.of(loop));
          names.addAll(sysfs.partitions(dir.get()));
          mounted.addAll(mountedAt(names, mounts));
        }
      }
      String fileName = image.getFileName().toString();
      return new DeviceInfo(
          image,
          DeviceKind.IMAGE_FILE,
          fileName,
          fileName,
          null,
          null,
          size,
          false,
          null,
          mounted,
          holders);
    } catch (IOException e) {
      throw new DeviceRefused(Reason.UNREADABLE, image, "cannot read the image file: " + e);
    }
  }

  /** Loop devices whose backing file is {@code real}: using the image through them is "in use". */
  private List<String> loopsBacking(Path real) throws IOException {
    List<String> out = new ArrayList<>();
    Path classBlock = sysfs.root().resolve("class/block");
    for (String n : sysfs.list(classBlock)) {
      if (n.startsWith("loop")) {
        String backing = Sysfs.attribute(classBlock.resolve(n).resolve("loop/backing_file"));
        if (backing != null && Path.of(backing).equals(real)) {
          out.add(n);
        }
      }
    }
    return out;
  }

  private List<String> mountedAt(List<String> names, MountTable mounts) {
    Set<String> devs = new HashSet<>();
    for (String n : names) {
      sysfs.dir(n).map(d -> Sysfs.attribute(d.resolve("dev"))).ifPresent(devs::add);
    }
    List<String> out = new ArrayList<>();
    for (Mount m : mounts.all()) {
      String src =
          m.source().startsWith("/dev/") ? Path.of(m.source()).getFileName().toString() : "";
      if (devs.contains(m.devNumber()) || names.contains(src)) {
        out.add(m.mountPoint());
      }
    }
    return out;
  }

  private DeviceKind kindOf(Path dir) {
    if (Files.isDirectory(dir.resolve("loop"))) {
      return DeviceKind.LOOP_DEVICE;
    }
    return sysfs.isPartition(dir) ? DeviceKind.PARTITION : DeviceKind.BLOCK_DEVICE;
  }

  private static long sizeOf(Path dir, Path device) throws DeviceRefused {
    String s = Sysfs.attribute(dir.resolve("size"));
    try {
      return Math.multiplyExact(Long.parseLong(Objects.requireNonNull(s)), Sysfs.SECTOR);
    } catch (RuntimeException e) {
      throw new DeviceRefused(
          Reason.UNREADABLE, device, "sysfs size is " + quoted(s) + ", expected a sector count");
    }
  }

  private MountTable mounts(Path device) throws DeviceRefused {
    try {
      return MountTable.read(mountInfo);
    } catch (IOException e) {
      throw new DeviceRefused(Reason.UNREADABLE, device, "cannot read " + mountInfo + ": " + e);
    }
  }

  private List<String> listQuietly(Path dir) {
    try {
      return sysfs.list(dir);
    } catch (IOException e) {
      return List.of(dir.toString());
    }
  }

  /** The real path of {@code p}, or of its nearest existing ancestor joined with the rest. */
  private static Path realOrSelf(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      return existing == null ? abs : existing.toRealPath().resolve(existing.relativize(abs));
    } catch (IOException e) {
      return abs;
    }
  }

  private static String quoted(String s) {
    return s == null ? "(none)" : "\"" + s + "\"";
  }
}
