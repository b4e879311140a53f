package io.burnguard.ports.usb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.ports.testing.FakeSysfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsbInventoryTest {
  @TempDir Path tmp;

  @Test
  void readsDevicesParentsFirstWithUsbguardHashes() throws Exception {
    FakeSysfs sys = new FakeSysfs(tmp);
    String hub = sys.rootHub();
    sys.device(hub + "/1-2", "0781", "5567", FakeSysfs.STORAGE_DESCRIPTORS, "Cruzer", "SN1");
    sys.write(hub + "/1-2", "port/connect_type", "hotplug\n");
    sys.write(hub + "/1-2", "authorized", "0\n");

    UsbSnapshot snap = UsbInventory.at(tmp).scan();

    assertEquals(List.of("usb1", "1-2"), snap.devices().stream().map(UsbDevice::port).toList());
    UsbDevice root = snap.devices().get(0);
    UsbDevice stick = snap.devices().get(1);
    assertTrue(root.rootHub());
    assertFalse(root.parentIsUsb());
    // Root hub: bcdDevice (bytes 12-13) hashed as zero; parent hash of the controller's path.
    byte[] d = HexFormat.of().parseHex(FakeSysfs.ROOT_HUB_DESCRIPTORS);
    d[12] = 0;
    d[13] = 0;
    assertEquals(sha("xHCI Host Controller" + "1d6b" + "0002" + "0000:00:14.0", d), root.hash());
    assertEquals(sha(FakeSysfs.CONTROLLER, new byte[0]), root.parentHash());
    assertEquals(
        sha(
            "Cruzer" + "0781" + "5567" + "SN1",
            HexFormat.of().parseHex(FakeSysfs.STORAGE_DESCRIPTORS)),
        stick.hash());
    assertEquals(root.hash(), stick.parentHash());
    assertEquals("hotplug", stick.connectType());
    assertFalse(stick.authorized());
    assertEquals("[08:06:50]", stick.interfaces().toString());
    assertEquals("0781:5567", stick.id());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "truncated header, 12010002000000408107675500010102030109, partial descriptor header",
    "bLength past end, 1201000200000040810767550001010203010920, only 2 bytes left",
    "bLength zero, 120100020000004081076755000101020301" + "0002, less than the 2-byte header",
    "short device descriptor, 100100020000004081076755000101020000, wrong size",
    "second device, 1201000200000040810767550001010203011201000200000040810767550001010203"
        + "01, a second device descriptor",
    "interface first, 12010002000000408107675500010102030109040000020806500000,"
        + " before any configuration",
    "endpoint first, 1201000200000040810767550001010203010902200001010080320705810200020000,"
        + " before any interface",
    "too short, 04030904, less than one 18-byte device descriptor",
    "empty, '', less than one 18-byte device descriptor",
  })
  void malformedDescriptorsAreRefusedNotFatal(String what, String hex, String expected)
      throws Exception {
    FakeSysfs sys = new FakeSysfs(tmp);
    String hub = sys.rootHub();
    sys.device(hub + "/1-1", "1234", "5678", hex == null ? "" : hex, "Evil", null);
    sys.device(hub + "/1-2", "0781", "5567", FakeSysfs.STORAGE_DESCRIPTORS, "Cruzer", "SN1");

    UsbSnapshot snap = UsbInventory.at(tmp).scan();

    assertEquals(List.of("usb1", "1-2"), snap.devices().stream().map(UsbDevice::port).toList());
    assertEquals(1, snap.refused().size());
    assertEquals("1-1", snap.refused().get(0).port());
    assertTrue(snap.refused().get(0).reason().contains(expected), snap.refused().get(0).reason());
  }

  @Test
  void childOfARefusedHubIsRefusedToo() throws Exception {
    FakeSysfs sys = new FakeSysfs(tmp);
    String hub = sys.rootHub();
    sys.device(hub + "/1-1", "1234", "5678", "0401", "Bad hub", null);
    sys.device(hub + "/1-1/1-1.1", "0781", "5567", FakeSysfs.STORAGE_DESCRIPTORS, "C", "S");

    UsbSnapshot snap = UsbInventory.at(tmp).scan();

    assertEquals(List.of("1-1", "1-1.1"), snap.refused().stream().map(UsbProblem::port).toList());
    assertTrue(snap.refused().get(1).reason().contains("parent"), snap.refused().get(1).reason());
  }

  @Test
  void oversizedStringsAndBadIdsAreRefused() throws Exception {
    FakeSysfs sys = new FakeSysfs(tmp);
    String hub = sys.rootHub();
    sys.device(hub + "/1-1", "0781", "5567", FakeSysfs.STORAGE_DESCRIPTORS, "x".repeat(254), "S");
    sys.device(hub + "/1-2", "07g1", "5567", FakeSysfs.STORAGE_DESCRIPTORS, "ok", "S");

    UsbSnapshot snap = UsbInventory.at(tmp).scan();

    assertEquals(2, snap.refused().size(), snap.toString());
    assertTrue(snap.refused().get(0).reason().contains("at most 253"));
    assertTrue(snap.refused().get(1).reason().contains("4 hex digits"));
  }

  @Test
  void hostileIdsAreEscapedInTheReason() throws Exception {
    FakeSysfs sys = new FakeSysfs(tmp);
    String hub = sys.rootHub();
    sys.device(hub + "/1-1", "\u001b[2J", "5567", FakeSysfs.STORAGE_DESCRIPTORS, "ok", "S");

    UsbProblem p = UsbInventory.at(tmp).scan().refused().get(0);

    assertTrue(p.reason().contains("'\\x1b[2J'"), p.reason());
    assertFalse(p.reason().contains("\u001b"), p.reason());
  }

  @Test
  void linkOutsideTheRootIsIgnored() throws Exception {
    FakeSysfs sys = new FakeSysfs(tmp.resolve("sys"));
    sys.rootHub();
    Path outside = Files.createDirectories(tmp.resolve("elsewhere/evil"));
    Files.writeString(outside.resolve("uevent"), "DEVTYPE=usb_device\n");
    Files.createSymbolicLink(
        sys.root().resolve("bus/usb/devices/9-9"), Path.of("../../../../elsewhere/evil"));

    UsbSnapshot snap = UsbInventory.at(sys.root()).scan();

    assertEquals(List.of("usb1"), snap.devices().stream().map(UsbDevice::port).toList());
    assertTrue(snap.refused().isEmpty());
  }

  @Test
  void hostileFileTypesAsAttributesAreAbsentAndNeverBlockTheScan() throws Exception {
    FakeSysfs sys = new FakeSysfs(tmp.resolve("sys"));
    String hub = sys.rootHub();
    String a = sys.device(hub + "/1-1", "0781", "5567", FakeSysfs.STORAGE_DESCRIPTORS, "A", null);
    String b = sys.device(hub + "/1-2", "0781", "5567", FakeSysfs.STORAGE_DESCRIPTORS, null, "S");
    Path fifo = sys.dir(a).resolve("serial");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Path secret = Files.writeString(tmp.resolve("secret"), "from outside\n");
    Files.createSymbolicLink(sys.dir(b).resolve("product"), secret);

    UsbSnapshot snap =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10), () -> UsbInventory.at(sys.root()).scan());

    assertEquals(
        List.of("usb1", "1-1", "1-2"), snap.devices().stream().map(UsbDevice::port).toList());
    assertEquals("", snap.devices().get(1).serial(), "a FIFO is no serial");
    assertEquals("", snap.devices().get(2).name(), "a symlink is not followed");
  }

  @Test
  void noUsbBusGivesAnEmptySnapshot() throws Exception {
    UsbSnapshot snap = UsbInventory.at(tmp).scan();
    assertTrue(snap.devices().isEmpty());
  }

  private static String sha(String text, byte[] tail) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(text.getBytes(StandardCharsets.ISO_8859_1));
    md.update(tail);
    return Base64.getEncoder().encodeToString(md.digest());
  }
}
