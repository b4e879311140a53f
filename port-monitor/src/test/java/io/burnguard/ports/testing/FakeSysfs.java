package io.burnguard.ports.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Builds a sysfs tree in a temp dir, laid out as the kernel does for USB. */
public final class FakeSysfs {
  public static final String CONTROLLER = "/devices/pci0000:00/0000:00:14.0";
  public static final String ROOT_HUB_DESCRIPTORS =
      "12010002090001406B1D020015060302010109021900010100E0000904000001090000000705810304000C";
  public static final String STORAGE_DESCRIPTORS =
      "1201000200000040810767550001010203010902200001010080320904000002080650000705810200020007"
          + "0502020002"
          + "00";

  /** Keyboard (03:01:01) + mass storage (08:06:50) in one configuration. */
  public static final String COMBO_DESCRIPTORS =
      "12010002000000403412785600010102030109023900020100803209040000010301010009211101"
          + "0001223f000705810308000a0904010002080650000705820200020007050202000200";

  public static final String KEYBOARD_DESCRIPTORS =
      "12010002000000084d04c0c000720102000109022200010100a03209040000010301010009211101"
          + "00012234000705810304000a";

  private final Path root;

  public FakeSysfs(Path root) {
    this.root = root;
    try {
      Files.createDirectories(root.resolve("bus/usb/devices"));
      Files.createDirectories(root.resolve(CONTROLLER.substring(1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path root() {
    return root;
  }

  public Path dir(String sysPath) {
    return root.resolve(sysPath.substring(1));
  }

  /** The root hub usb1 on the controller. */
  public String rootHub() {
    String path = CONTROLLER + "/usb1";
    device(path, "1d6b", "0002", ROOT_HUB_DESCRIPTORS, "xHCI Host Controller", "0000:00:14.0");
    write(path, "authorized_default", "1\n");
    write(path, "interface_authorized_default", "1\n");
    return path;
  }

  /** A USB device with the given attributes; {@code serial} null for none. */
  public String device(
      String sysPath,
      String vendor,
      String product,
      String descriptorsHex,
      String name,
      String serial) {
    write(sysPath, "uevent", "DEVTYPE=usb_device\nSUBSYSTEM=usb\n");
    write(sysPath, "idVendor", vendor + "\n");
    write(sysPath, "idProduct", product + "\n");
    write(sysPath, "authorized", "1\n");
    write(sysPath, "remove", "");
    if (name != null) {
      write(sysPath, "product", name + "\n");
    }
    if (serial != null) {
      write(sysPath, "serial", serial + "\n");
    }
    try {
      Files.write(dir(sysPath).resolve("descriptors"), HexFormat.of().parseHex(descriptorsHex));
      String port = sysPath.substring(sysPath.lastIndexOf('/') + 1);
      Path link = root.resolve("bus/usb/devices").resolve(port);
      Files.createSymbolicLink(link, link.getParent().relativize(dir(sysPath)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sysPath;
  }

  /** An interface directory of a device ({@code 1-2:1.0}); {@code hex} like {@code 03:01:01}. */
  public String iface(String deviceSysPath, String name, String hex) {
    String path = deviceSysPath + "/" + name;
    String[] t = hex.split(":");
    write(
        path,
        "uevent",
        "DEVTYPE=usb_interface\nINTERFACE="
            + Integer.parseInt(t[0], 16)
            + "/"
            + Integer.parseInt(t[1], 16)
            + "/"
            + Integer.parseInt(t[2], 16)
            + "\n");
    write(path, "bInterfaceClass", t[0] + "\n");
    write(path, "bInterfaceSubClass", t[1] + "\n");
    write(path, "bInterfaceProtocol", t[2] + "\n");
    write(path, "authorized", "1\n");
    return path;
  }

  /** Every file's content below the root, for "nothing changed" checks. */
  public java.util.Map<String, String> contents() {
    java.util.Map<String, String> all = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          all.put(root.relativize(f).toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  public void write(String sysPath, String attribute, String value) {
    try {
      Path file = dir(sysPath).resolve(attribute);
      Files.createDirectories(file.getParent());
      Files.writeString(file, value, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An attribute's value as sysfs shows it, without the trailing newline. The monitor writes values
   * over the old content without truncating (as sysfs takes writes), so {@code 0} written over
   * {@code 1\n} reads {@code 0\n} here.
   */
  public String read(String sysPath, String attribute) {
    try {
      String v = Files.readString(dir(sysPath).resolve(attribute), StandardCharsets.ISO_8859_1);
      return v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
