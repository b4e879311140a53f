package io.burnguard.agent.parts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Block devices as sysfs shows them under an injectable root ({@code /sys} in production, a
 * directory tree in tests): {@code class/block/NAME} links to the device directory, a partition has
 * a {@code partition} file and sits inside its disk's directory, {@code dev/block/MAJ:MIN} links a
 * device number to its directory. Attribute text comes from device firmware and is bounded and
 * stripped of control characters here, once.
 */
final class Sysfs {
  /** sysfs {@code size} is always in 512-byte units, whatever the logical block size. */
  static final long SECTOR = 512;

  private static final int MAX_ATTRIBUTE = 256;
  private static final int MAX_SERIAL_WALK = 8;

  private final Path root;

  Sysfs(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** The device directory of kernel name {@code name}, if sysfs has one. */
  Optional<Path> dir(String name) {
    Path p = root.resolve("class/block").resolve(name);
    try {
      return Files.exists(p) ? Optional.of(p.toRealPath()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The kernel name for device number {@code majMin}, if sysfs knows it. */
  Optional<String> nameOf(String majMin) {
    Path p = root.resolve("dev/block").resolve(majMin);
    try {
      return Files.exists(p)
          ? Optional.of(p.toRealPath().getFileName().toString())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  boolean isPartition(Path dir) {
    return Files.exists(dir.resolve("partition"));
  }

  /** The whole disk {@code name} belongs to: its parent for a partition, else itself. */
  String diskOf(String name) {
    return dir(name)
        .filter(this::isPartition)
        .map(d -> d.getParent().getFileName().toString())
        .orElse(name);
  }

  /** The partitions of a disk directory (sub-directories holding a {@code partition} file). */
  List<String> partitions(Path diskDir) throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(diskDir)) {
      for (Path p : s) {
        if (Files.isDirectory(p) && isPartition(p)) {
          out.add(p.getFileName().toString());
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Entries of a directory such as {@code holders} or {@code slaves}; empty if it is absent. */
  List<String> list(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(p -> out.add(p.getFileName().toString()));
    }
    out.sort(null);
    return out;
  }

  /**
   * The physical disks under {@code name}: itself (or its disk, for a partition), or for a device
   * mapper / RAID device the disks of everything in its {@code slaves}, recursively.
   */
  Set<String> physicalDisks(String name) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    collectDisks(name, out, 0);
    return out;
  }

  private void collectDisks(String name, Set<String> out, int depth) throws IOException {
    Optional<Path> d = dir(name);
    if (d.isEmpty() || depth > 8) {
      return;
    }
    List<String> slaves = list(d.get().resolve("slaves"));
    if (slaves.isEmpty()) {
      out.add(diskOf(name));
    }
    for (String s : slaves) {
      collectDisks(s, out, depth + 1);
    }
  }

  /**
   * The serial number: the block device's own {@code serial} (virtio), its {@code device/serial}
   * (NVMe, SCSI, MMC), or the nearest ancestor device's {@code serial} (the USB device of a stick
   * or card reader).
   */
  String serial(Path dir) {
    String s = attribute(dir.resolve("serial"));
    if (s != null) {
      return s;
    }
    Path dev = dir.resolve("device");
    if (!Files.exists(dev)) {
      return null;
    }
    try {
      Path p = dev.toRealPath();
      Path stop = root.resolve("devices").toRealPath();
      for (int i = 0; i < MAX_SERIAL_WALK && p != null && p.startsWith(stop); i++) {
        s = attribute(p.resolve("serial"));
        if (s != null) {
          return s;
        }
        p = p.getParent();
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** The model: SCSI/USB/NVMe {@code device/model}, or MMC {@code device/name}. */
  String model(Path dir) {
    String m = attribute(dir.resolve("device/model"));
    return m != null ? m : attribute(dir.resolve("device/name"));
  }

  /** An attribute's trimmed, bounded, printable text; null when absent, unreadable or blank. */
  static String attribute(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      byte[] raw = Files.readAllBytes(file);
      String s = new String(raw, 0, Math.min(raw.length, MAX_ATTRIBUTE), StandardCharsets.UTF_8);
      StringBuilder sb = new StringBuilder();
      s.strip().codePoints().filter(c -> c >= 0x20 && c != 0x7f).forEach(sb::appendCodePoint);
      return sb.length() == 0 ? null : sb.toString();
    } catch (IOException e) {
      return null;
    }
  }
}
