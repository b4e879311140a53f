package io.burnguard.agent.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.parts.DeviceRefused.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity and refusals on a fake sysfs: a USB stick (sdb, serial on the USB device), the system
 * disk (vda, root on vda1) and a data disk behind device mapper (nvme0n1p1 under dm-0).
 */
class DeviceProbeTest {
  private static final long STICK_SECTORS = 7_864_320; // 3.75 GiB
  private static final long STICK_BYTES = STICK_SECTORS * 512;

  @TempDir Path tmp;
  private FakeSysfs sys;
  private Path mountInfo;
  private Path sdb;
  private final Path dataDir = Path.of("/var/lib/burnguard");

  @BeforeEach
  void tree() throws IOException {
    sys = new FakeSysfs(tmp.resolve("sys"));
    sdb =
        sys.disk("pci0/usb1/1-1/1-1:1.0/host6/target6/6:0:0:0", "sdb", "8:16", STICK_SECTORS, true);
    sys.partition(sdb, "sdb1", "8:17", STICK_SECTORS - 2048);
    Path scsi = sys.root.resolve("devices/pci0/usb1/1-1/1-1:1.0/host6/target6/6:0:0:0");
    Files.createSymbolicLink(sdb.resolve("device"), scsi);
    FakeSysfs.attr(scsi, "model", "Cruzer Blade\u0007   ");
    FakeSysfs.attr(sys.root.resolve("devices/pci0/usb1/1-1"), "serial", "4C530001230");
    Path vda = sys.disk("pci0/virtio1", "vda", "254:0", 20_000_000, false);
    sys.partition(vda, "vda1", "254:1", 19_000_000);
    Path nvme = sys.disk("pci0/nvme/nvme0", "nvme0n1", "259:0", 1_000_000, false);
    sys.partition(nvme, "nvme0n1p1", "259:1", 900_000);
    sys.mapper("dm-0", "253:0", "nvme0n1p1");
    mountInfo = tmp.resolve("mountinfo");
    mounts("");
  }

  private void mounts(String extra) throws IOException {
    Files.writeString(
        mountInfo,
        "27 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw\n"
            + "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
            + "40 27 253:0 / /var/lib/burnguard rw - xfs /dev/mapper/data rw\n"
            + extra);
  }

  private DeviceProbe probe() {
    return new DeviceProbe(sys.root, mountInfo, dataDir);
  }

  private DeviceRefused refused(String name, long size, String serial) throws DeviceRefused {
    DeviceInfo d = probe().block(Path.of("/dev/" + name), name);
    return assertThrows(DeviceRefused.class, () -> probe().requireSafe(d, size, serial));
  }

  @Test
  void aUsbStickIsIdentifiedFromItsOwnDescriptors() throws Exception {
    DeviceInfo d = probe().block(Path.of("/dev/sdb"), "sdb");
    assertEquals(DeviceKind.BLOCK_DEVICE, d.kind());
    assertEquals("4C530001230", d.serial(), "serial of the USB device two levels up");
    assertEquals("Cruzer Blade", d.model(), "control characters and padding stripped");
    assertEquals(STICK_BYTES, d.sizeBytes());
    assertTrue(d.removable());
    assertEquals("sdb", d.disk());
    assertEquals("8:16", d.devNumber());
    assertEquals(List.of(), d.mountedAt());
    probe().requireSafe(d, STICK_BYTES, "4C530001230");
  }

  @Test
  void aPartitionIsRefusedAndNamesItsDisk() throws Exception {
    DeviceInfo d = probe().block(Path.of("/dev/sdb1"), "sdb1");
    assertEquals(DeviceKind.PARTITION, d.kind());
    assertEquals("sdb", d.disk());
    DeviceRefused e = refused("sdb1", d.sizeBytes(), "4C530001230");
    assertEquals(Reason.PARTITION, e.reason());
    assertTrue(e.getMessage().contains("partition of sdb"), e.getMessage());
  }

  @Test
  void theSystemDiskIsRefusedThroughItsRootPartition() throws Exception {
    DeviceRefused e = refused("vda", 20_000_000L * 512, null);
    assertEquals(Reason.SYSTEM_DISK, e.reason());
    assertTrue(e.getMessage().contains("vda holds the root file system"), e.getMessage());
  }

  @Test
  void theDataDiskIsRefusedThroughDeviceMapper() throws Exception {
    DeviceRefused e = refused("nvme0n1", 1_000_000L * 512, null);
    assertEquals(Reason.DATA_DISK, e.reason());
    assertTrue(e.getMessage().contains(dataDir.toString()), e.getMessage());
  }

  @Test
  void aMismatchedSizeIsRefusedWithBothSizes() throws Exception {
    DeviceRefused e = refused("sdb", STICK_BYTES * 2, "4C530001230");
    assertEquals(Reason.SIZE_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains(STICK_BYTES + " bytes"), e.getMessage());
    assertTrue(e.getMessage().contains(STICK_BYTES * 2 + " bytes"), e.getMessage());
  }

  @Test
  void aMismatchedSerialIsRefusedWithBothSerials() throws Exception {
    DeviceRefused e = refused("sdb", STICK_BYTES, "OTHER");
    assertEquals(Reason.SERIAL_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("\"4C530001230\""), e.getMessage());
    assertTrue(e.getMessage().contains("\"OTHER\""), e.getMessage());
    assertEquals(Reason.SERIAL_MISMATCH, refused("sdb", STICK_BYTES, null).reason());
  }

  @Test
  void aMountedPartitionRefusesTheWholeDisk() throws Exception {
    mounts("60 27 8:17 / /media/usb\\040stick rw - vfat /dev/sdb1 rw\n");
    DeviceRefused e = refused("sdb", STICK_BYTES, "4C530001230");
    assertEquals(Reason.MOUNTED, e.reason());
    assertTrue(e.getMessage().contains("/media/usb stick"), e.getMessage());
  }

  @Test
  void aMountKnownOnlyBySourceIsSeen() throws Exception {
    // btrfs and some FUSE mounts show an anonymous device number; the source still names it.
    mounts("61 27 0:55 / /mnt/x rw - btrfs /dev/sdb rw\n");
    assertEquals(Reason.MOUNTED, refused("sdb", STICK_BYTES, "4C530001230").reason());
  }

  @Test
  void aDeviceWithAHolderIsRefused() throws Exception {
    Files.createSymbolicLink(sdb.resolve("sdb1/holders/dm-3"), sys.root);
    DeviceRefused e = refused("sdb", STICK_BYTES, "4C530001230");
    assertEquals(Reason.HELD, e.reason());
    assertTrue(e.getMessage().contains("dm-3"), e.getMessage());
  }

  @Test
  void anUnknownNameIsNotADevice() {
    DeviceRefused e =
        assertThrows(DeviceRefused.class, () -> probe().block(Path.of("/dev/sdz"), "sdz"));
    assertEquals(Reason.NOT_A_DEVICE, e.reason());
  }

  @Test
  void anImageFileHasNoSerialAndIsRefusedInsideTheDataDirectory() throws Exception {
    Path img = tmp.resolve("data/part.img");
    Files.createDirectories(img.getParent());
    Files.write(img, new byte[4096]);
    DeviceInfo d = probe().probe(img);
    assertEquals(DeviceKind.IMAGE_FILE, d.kind());
    assertNull(d.serial());
    assertFalse(d.isBlockDevice());
    probe().requireSafe(d, 4096, null);
    DeviceProbe strict = new DeviceProbe(sys.root, mountInfo, tmp.resolve("data"));
    DeviceRefused e = assertThrows(DeviceRefused.class, () -> strict.requireSafe(d, 4096, null));
    assertEquals(Reason.DATA_DISK, e.reason());
  }

  @Test
  void deviceNumbersDecodeLikeGlibc() {
    assertEquals("8:16", DeviceProbe.majMin((8 << 8) | 16));
    long dev = (259L << 8) | (300 & 0xff) | ((300L & ~0xffL) << 12);
    assertEquals("259:300", DeviceProbe.majMin(dev));
    long big = ((4100L & 0xfff) << 8) | ((4100L & ~0xfffL) << 32) | 7;
    assertEquals("4100:7", DeviceProbe.majMin(big));
  }

  /** The port monitor's fake USB tree on the same sysfs root: root hub usb1, the stick 1-1. */
  private io.burnguard.ports.testing.FakeSysfs usbTree(String stickDescriptors) {
    var usb = new io.burnguard.ports.testing.FakeSysfs(sys.root);
    usb.device(
        "/devices/pci0/usb1",
        "1d6b",
        "0002",
        io.burnguard.ports.testing.FakeSysfs.ROOT_HUB_DESCRIPTORS,
        "xHCI Host Controller",
        "0000:00:14.0");
    usb.device(
        "/devices/pci0/usb1/1-1",
        "0781",
        "5567",
        stickDescriptors,
        "Cruzer\u001b[2J Blade",
        "4C530001230");
    return usb;
  }

  @Test
  void theUsbDeviceAStickSitsOnIsReadThroughThePortMonitorsInventory() throws Exception {
    usbTree(io.burnguard.ports.testing.FakeSysfs.STORAGE_DESCRIPTORS);
    DeviceProbe p = probe();
    UsbIdentity u = p.usbParent(p.block(Path.of("/dev/sdb"), "sdb")).orElseThrow();
    assertEquals("0781:5567", u.id());
    assertEquals("4C530001230", u.serial());
    assertEquals("1-1", u.port());
    assertFalse(u.product().contains("\u001b"), "escape neutralised: " + u.product());
    assertTrue(u.product().startsWith("Cruzer"), u.product());
    UsbIdentity viaPartition = p.usbParent(p.block(Path.of("/dev/sdb1"), "sdb1")).orElseThrow();
    assertEquals(u, viaPartition, "a partition's disk sits on the same USB device");
    assertTrue(p.usbParent(p.block(Path.of("/dev/vda"), "vda")).isEmpty(), "virtio is not USB");
  }

  @Test
  void aStickWhoseUsbDeviceThePortMonitorRefusedIsNotIdentified() throws Exception {
    usbTree("0000"); // descriptors too short to parse
    DeviceProbe p = probe();
    DeviceInfo d = p.block(Path.of("/dev/sdb"), "sdb");
    DeviceRefused e = assertThrows(DeviceRefused.class, () -> p.usbParent(d));
    assertEquals(Reason.UNREADABLE, e.reason());
    assertTrue(e.getMessage().contains("port 1-1"), e.getMessage());
  }

  @Test
  void withoutAUsbBusThereIsNoUsbParent() throws Exception {
    DeviceProbe p = probe();
    assertTrue(p.usbParent(p.block(Path.of("/dev/sdb"), "sdb")).isEmpty());
  }

  @Test
  void aPartRegisteredOnOneUsbDeviceIsRefusedOnAnother() throws Exception {
    UsbIdentity reader = new UsbIdentity("0bda", "0129", "Realtek", "Card Reader", "2010", "1-1");
    Path dev = Path.of("/dev/sdb");
    Parts.requireSameUsb(reader, reader, dev);
    for (UsbIdentity other :
        new UsbIdentity[] {
          null,
          new UsbIdentity("0bda", "0129", "Realtek", "Card Reader", "9999", "1-1"),
          new UsbIdentity("0781", "0129", "Realtek", "Card Reader", "2010", "1-1")
        }) {
      DeviceRefused e =
          assertThrows(DeviceRefused.class, () -> Parts.requireSameUsb(reader, other, dev));
      assertEquals(Reason.USB_MISMATCH, e.reason());
      assertTrue(
          e.getMessage().contains("0bda:0129 Realtek Card Reader, serial 2010"), e.getMessage());
    }
    Parts.requireSameUsb(
        reader, new UsbIdentity("0bda", "0129", "Realtek", "Card Reader", "2010", "2-4"), dev);
  }
}
