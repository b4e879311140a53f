package io.burnguard.ports.serial;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serial ports present on the station: every {@code class/tty} entry of sysfs that has a
 * hardware {@code device} (virtual consoles and ptys have none), with the {@code /dev/serial/by-id}
 * links that name it and, for USB adapters, the USB device it belongs to (its nearest {@code
 * usb_device} ancestor: port, ids, serial), so a port can be tied to the USB decision for the same
 * device.
 *
 * <p>Design. Only sysfs and {@code /dev} links are read; a port is never opened (opening a tty can
 * raise DTR and reset a board). Platform UART slots that the kernel registers without hardware
 * ({@code type} 0, PORT_UNKNOWN) are left out. Links are resolved lexically and must stay below the
 * sysfs root, as in {@code UsbInventory}. jSerialComm is not used: it enumerates the same sysfs
 * entries natively, and adds a native library for nothing here.
 */
public final class SerialInventory {
  private static final Logger LOG = LoggerFactory.getLogger(SerialInventory.class);
  private static final int MAX_ATTRIBUTE = 4096;

  private final Path sys;
  private final Path dev;

  private SerialInventory(Path sys, Path dev) {
    this.sys = sys.toAbsolutePath().normalize();
    this.dev = dev.toAbsolutePath().normalize();
  }

  /** The inventory under a sysfs root ({@code /sys}) and a device root ({@code /dev}). */
  public static SerialInventory at(Path sysfsRoot, Path devRoot) {
    return new SerialInventory(
        Objects.requireNonNull(sysfsRoot, "sysfsRoot"), Objects.requireNonNull(devRoot, "devRoot"));
  }

  /**
   * Every serial port present, by name. A missing {@code class/tty} gives an empty list.
   *
   * @throws IOException when {@code class/tty} exists but cannot be listed
   */
  public List<SerialPort> scan() throws IOException {
    Path ttys = sys.resolve("class/tty");
    if (!Files.isDirectory(ttys)) {
      return List.of();
    }
    Map<Path, List<Path>> links = byIdLinks();
    List<SerialPort> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(ttys)) {
      for (Path entry : entries) {
        try {
          SerialPort p = port(entry, links);
          if (p != null) {
            out.add(p);
          }
        } catch (IOException e) {
          LOG.warn(
              "serial port {} left out of the inventory: {}", entry.getFileName(), e.getMessage());
        }
      }
    }
    out.sort(java.util.Comparator.comparing(SerialPort::name));
    return out;
  }

  private SerialPort port(Path entry, Map<Path, List<Path>> links) throws IOException {
    Path tty = resolve(entry);
    if (tty == null || !Files.isSymbolicLink(tty.resolve("device"))) {
      return null;
    }
    Path device = resolve(tty.resolve("device"));
    if (device == null || "0".equals(text(tty.resolve("type")))) {
      return null;
    }
    String name = entry.getFileName().toString();
    String driver = "";
    Path driverLink = device.resolve("driver");
    if (Files.isSymbolicLink(driverLink)) {
      driver = Files.readSymbolicLink(driverLink).getFileName().toString();
    }
    Path node = dev.resolve(name);
    return new SerialPort(name, node, links.getOrDefault(node, List.of()), driver, usbParent(tty));
  }

  /** The nearest ancestor whose uevent says {@code DEVTYPE=usb_device}, or null. */
  private SerialPort.UsbParent usbParent(Path tty) throws IOException {
    for (Path d = tty.getParent();
        d != null && d.startsWith(sys) && !d.equals(sys);
        d = d.getParent()) {
      String uevent = text(d.resolve("uevent"));
      if (uevent != null && uevent.lines().anyMatch("DEVTYPE=usb_device"::equals)) {
        return new SerialPort.UsbParent(
            d.getFileName().toString(),
            orEmpty(text(d.resolve("idVendor"))),
            orEmpty(text(d.resolve("idProduct"))),
            orEmpty(text(d.resolve("serial"))));
      }
    }
    return null;
  }

  /**
   * {@code /dev/serial/by-id} links by the node they lead to (lexically, below the device root).
   */
  private Map<Path, List<Path>> byIdLinks() {
    Map<Path, List<Path>> out = new HashMap<>();
    Path dir = dev.resolve("serial/by-id");
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path link : entries) {
        if (Files.isSymbolicLink(link)) {
          Path target = dir.resolve(Files.readSymbolicLink(link)).normalize();
          out.computeIfAbsent(target, k -> new ArrayList<>()).add(link);
        }
      }
    } catch (IOException e) {
      LOG.warn(
          "cannot list {}: {}; ports are shown without their by-id names", dir, e.getMessage());
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  /** An entry with its symlinks resolved lexically; null when it leads outside the sysfs root. */
  private Path resolve(Path entry) throws IOException {
    Path p = entry;
    for (int hops = 0; Files.isSymbolicLink(p); hops++) {
      if (hops > 8) {
        return null;
      }
      p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
    }
    if (!p.startsWith(sys) || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      LOG.debug("ignoring {}: it leads to {}, outside {} or not a directory", entry, p, sys);
      return null;
    }
    return p;
  }

  /** A sysfs attribute without its trailing newline; null when absent. */
  private static String text(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      String s = new String(in.readNBytes(MAX_ATTRIBUTE), StandardCharsets.ISO_8859_1);
      return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException gone) {
      return null;
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
