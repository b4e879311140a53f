package io.burnguard.ports.usb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Writes the kernel's USB authorization attributes (Documentation/usb/authorization.rst): {@code
 * authorized_default} and {@code interface_authorized_default} on root hubs, {@code authorized} on
 * devices and interfaces, {@code remove} to drop a device.
 *
 * <p>Only existing attributes are written (never created, never through a symlink, never truncated:
 * {@link AttributeFiles#write}), through paths built from a device's sysfs path below the root,
 * which must start with {@code /devices/} and hold no {@code ..}.
 */
public final class UsbAuthorizer {
  private final Path root;

  private UsbAuthorizer(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public static UsbAuthorizer at(Path sysfsRoot) {
    return new UsbAuthorizer(Objects.requireNonNull(sysfsRoot, "sysfsRoot"));
  }

  /** New devices under this root hub start unauthorized; checked by reading the value back. */
  public void blockNewDevices(UsbDevice rootHub) throws IOException {
    writeChecked(rootHub.sysPath(), "authorized_default", "0");
  }

  /** New interfaces of devices under this root hub start unauthorized (kernel 4.4+). */
  public void blockNewInterfaces(UsbDevice rootHub) throws IOException {
    writeChecked(rootHub.sysPath(), "interface_authorized_default", "0");
  }

  /** Authorizes (1) or deauthorizes (0) the device at {@code sysPath}. */
  public void authorize(String sysPath, boolean authorized) throws IOException {
    write(sysPath, "authorized", authorized ? "1" : "0");
  }

  /** Asks the kernel to remove the device at {@code sysPath} (USBGuard's reject). */
  public void remove(String sysPath) throws IOException {
    write(sysPath, "remove", "1");
  }

  /**
   * One interface directory and what was written to it.
   *
   * @param name the interface's sysfs name, e.g. {@code 1-2:1.0}
   * @param type its class, subclass and protocol
   * @param authorized the value written
   */
  public record InterfaceState(String name, UsbInterfaceType type, boolean authorized) {}

  /**
   * Authorizes each present interface of {@code device} that {@code allowed} accepts and
   * deauthorizes the others. Interface directories exist only while the device is authorized.
   */
  public List<InterfaceState> authorizeInterfaces(
      UsbDevice device, Predicate<UsbInterfaceType> allowed) throws IOException {
    Path dir = dir(device.sysPath());
    List<InterfaceState> done = new ArrayList<>();
    // A root hub usbN names its interfaces N-0:c.i; other devices PORT:c.i.
    String prefix =
        device.port().startsWith("usb") ? device.port().substring(3) + "-0" : device.port();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix + ":*")) {
      for (Path entry : entries) {
        if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Optional<UsbInterfaceType> type = interfaceType(entry);
        if (type.isEmpty()) {
          throw new IOException(
              "interface "
                  + entry.getFileName()
                  + " of "
                  + device.port()
                  + " has no readable class; expected bInterfaceClass or INTERFACE= in its uevent");
        }
        boolean on = allowed.test(type.get());
        AttributeFiles.write(
            entry.resolve("authorized"), (on ? "1" : "0").getBytes(StandardCharsets.US_ASCII));
        done.add(new InterfaceState(entry.getFileName().toString(), type.get(), on));
      }
    }
    done.sort(java.util.Comparator.comparing(InterfaceState::name));
    return done;
  }

  private static Optional<UsbInterfaceType> interfaceType(Path dir) throws IOException {
    Optional<String> c = Sysfs.readText(dir.resolve("bInterfaceClass"));
    Optional<String> s = Sysfs.readText(dir.resolve("bInterfaceSubClass"));
    Optional<String> p = Sysfs.readText(dir.resolve("bInterfaceProtocol"));
    try {
      if (c.isPresent() && s.isPresent() && p.isPresent()) {
        return Optional.of(
            new UsbInterfaceType(
                Integer.parseInt(c.get().trim(), 16),
                Integer.parseInt(s.get().trim(), 16),
                Integer.parseInt(p.get().trim(), 16)));
      }
      Optional<String> uevent = Sysfs.ueventValue(dir, "INTERFACE");
      if (uevent.isPresent()) {
        String[] parts = uevent.get().split("/");
        if (parts.length == 3) {
          return Optional.of(
              new UsbInterfaceType(
                  Integer.parseInt(parts[0]),
                  Integer.parseInt(parts[1]),
                  Integer.parseInt(parts[2])));
        }
      }
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private void writeChecked(String sysPath, String attribute, String value) throws IOException {
    write(sysPath, attribute, value);
    String back = Sysfs.readText(dir(sysPath).resolve(attribute)).orElse("");
    if (!back.trim().equals(value)) {
      throw new IOException(
          attribute
              + " of "
              + sysPath
              + " reads '"
              + back.trim()
              + "' after writing '"
              + value
              + "'; the kernel refused it");
    }
  }

  private void write(String sysPath, String attribute, String value) throws IOException {
    AttributeFiles.write(
        dir(sysPath).resolve(attribute), value.getBytes(StandardCharsets.US_ASCII));
  }

  private Path dir(String sysPath) throws IOException {
    if (!sysPath.startsWith("/devices/") || sysPath.contains("..")) {
      throw new IOException(
          "refusing to write below '"
              + sysPath
              + "'; expected a path under"
              + " /devices/ without '..'");
    }
    return root.resolve(sysPath.substring(1));
  }
}
