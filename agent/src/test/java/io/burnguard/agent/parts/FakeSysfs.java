package io.burnguard.agent.parts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sysfs tree in a temp dir with the links and attributes the kernel makes, for probing without
 * the disks: {@code devices/...} directories, {@code class/block/NAME} and {@code dev/block/M:N}
 * links.
 */
final class FakeSysfs {
  final Path root;

  FakeSysfs(Path root) {
    this.root = root;
  }

  /** A whole disk under {@code parent} (relative to devices/); returns its directory. */
  Path disk(String parent, String name, String dev, long sectors, boolean removable)
      throws IOException {
    Path dir = root.resolve("devices").resolve(parent).resolve("block").resolve(name);
    Files.createDirectories(dir);
    attr(dir, "size", Long.toString(sectors));
    attr(dir, "removable", removable ? "1" : "0");
    attr(dir, "dev", dev);
    Files.createDirectories(dir.resolve("holders"));
    link(name, dev, dir);
    return dir;
  }

  /** A partition inside {@code diskDir}. */
  Path partition(Path diskDir, String name, String dev, long sectors) throws IOException {
    Path dir = diskDir.resolve(name);
    Files.createDirectories(dir.resolve("holders"));
    attr(dir, "partition", "1");
    attr(dir, "size", Long.toString(sectors));
    attr(dir, "dev", dev);
    link(name, dev, dir);
    return dir;
  }

  /** A device-mapper device over {@code slaves} (kernel names). */
  Path mapper(String name, String dev, String... slaves) throws IOException {
    Path dir = disk("virtual", name, dev, 1000, false);
    Files.createDirectories(dir.resolve("slaves"));
    for (String s : slaves) {
      Files.createSymbolicLink(dir.resolve("slaves").resolve(s), root.resolve("class/block/" + s));
    }
    return dir;
  }

  /** Links {@code diskDir/device} to {@code devices/target}, creating the target. */
  Path device(Path diskDir, String target) throws IOException {
    Path t = root.resolve("devices").resolve(target);
    Files.createDirectories(t);
    Files.createSymbolicLink(diskDir.resolve("device"), t);
    return t;
  }

  static void attr(Path dir, String name, String value) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, value + "\n", StandardCharsets.UTF_8);
  }

  private void link(String name, String dev, Path dir) throws IOException {
    Files.createDirectories(root.resolve("class/block"));
    Files.createDirectories(root.resolve("dev/block"));
    Files.createSymbolicLink(root.resolve("class/block").resolve(name), dir);
    Files.createSymbolicLink(root.resolve("dev/block").resolve(dev), dir);
  }
}
