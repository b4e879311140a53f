package io.burnguard.ports.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.ports.testing.FakeSysfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialInventoryTest {
  @TempDir Path tmp;

  private Path sys;
  private Path dev;

  @Test
  void findsUsbAndPlatformPortsWithTheirUsbParentAndByIdLinks() throws Exception {
    build();

    List<SerialPort> ports = SerialInventory.at(sys, dev).scan();

    assertEquals(
        List.of("ttyACM0", "ttyS1", "ttyUSB0"), ports.stream().map(SerialPort::name).toList());
    SerialPort acm = ports.get(0);
    assertEquals(new SerialPort.UsbParent("1-3", "2e8a", "000a", ""), acm.usb());
    assertEquals("cdc_acm", acm.driver());
    assertEquals(List.of(), acm.byId());
    SerialPort uart = ports.get(1);
    assertNull(uart.usb(), "a PNP UART is not on USB");
    assertEquals("serial", uart.driver());
    SerialPort ftdi = ports.get(2);
    assertEquals(dev.resolve("ttyUSB0"), ftdi.node());
    assertEquals(new SerialPort.UsbParent("1-2.1", "0403", "6001", "A10K"), ftdi.usb());
    assertEquals("0403:6001", ftdi.usb().id());
    assertEquals("ftdi_sio", ftdi.driver());
    assertEquals(List.of(dev.resolve("serial/by-id/usb-FTDI_FT232R_A10K-if00-port0")), ftdi.byId());
  }

  @Test
  void noTtyClassIsAnEmptyInventory() throws Exception {
    assertTrue(SerialInventory.at(tmp.resolve("sys"), tmp.resolve("dev")).scan().isEmpty());
  }

  /**
   * A sysfs tree laid out as the kernel does: an FTDI adapter behind a hub (usb-serial adds a port
   * device between interface and tty), a CDC ACM board (tty directly below the interface), a PNP
   * UART, an 8250 slot without hardware (type 0), a virtual console and a link leading out of the
   * root.
   */
  private void build() throws Exception {
    sys = tmp.resolve("sys");
    dev = tmp.resolve("dev");
    FakeSysfs fake = new FakeSysfs(sys);
    String hub = fake.rootHub();
    fake.device(hub + "/1-2", "05e3", "0608", FakeSysfs.ROOT_HUB_DESCRIPTORS, "Hub", null);
    String ftdi =
        fake.device(
            hub + "/1-2/1-2.1", "0403", "6001", FakeSysfs.STORAGE_DESCRIPTORS, "FT232R", "A10K");
    String portDev = ftdi + "/1-2.1:1.0/ttyUSB0";
    fake.write(portDev, "uevent", "DRIVER=ftdi_sio\n");
    link(portDev + "/driver", "/bus/usb-serial/drivers/ftdi_sio");
    tty("ttyUSB0", portDev + "/tty/ttyUSB0", portDev);
    String acm =
        fake.device(hub + "/1-3", "2e8a", "000a", FakeSysfs.STORAGE_DESCRIPTORS, "Pico", null);
    fake.write(acm + "/1-3:1.0", "uevent", "DEVTYPE=usb_interface\n");
    link(acm + "/1-3:1.0/driver", "/bus/usb/drivers/cdc_acm");
    tty("ttyACM0", acm + "/1-3:1.0/tty/ttyACM0", acm + "/1-3:1.0");
    fake.write("/devices/pnp0/00:02", "uevent", "DRIVER=serial\n");
    link("/devices/pnp0/00:02/driver", "/bus/pnp/drivers/serial");
    tty("ttyS1", "/devices/pnp0/00:02/tty/ttyS1", "/devices/pnp0/00:02");
    fake.write("/devices/pnp0/00:02/tty/ttyS1", "type", "4\n");
    fake.write("/devices/platform/serial8250", "uevent", "DRIVER=serial8250\n");
    tty("ttyS0", "/devices/platform/serial8250/tty/ttyS0", "/devices/platform/serial8250");
    fake.write("/devices/platform/serial8250/tty/ttyS0", "type", "0\n");
    fake.write("/devices/virtual/tty/tty1", "uevent", "MAJOR=4\n");
    link("/class/tty/tty1", "/devices/virtual/tty/tty1");
    Files.createDirectories(tmp.resolve("elsewhere/device"));
    Files.createSymbolicLink(sys.resolve("class/tty/evil"), Path.of("../../../elsewhere"));
    Files.createDirectories(dev.resolve("serial/by-id"));
    Files.createSymbolicLink(
        dev.resolve("serial/by-id/usb-FTDI_FT232R_A10K-if00-port0"), Path.of("../../ttyUSB0"));
  }

  private void tty(String name, String ttyPath, String devicePath) throws Exception {
    Files.createDirectories(sys.resolve(ttyPath.substring(1)));
    Files.writeString(
        sys.resolve(ttyPath.substring(1)).resolve("uevent"), "DEVNAME=" + name + "\n");
    link(ttyPath + "/device", devicePath);
    link("/class/tty/" + name, ttyPath);
  }

  /** A relative symlink at {@code from} to {@code to}, both below the sysfs root. */
  private void link(String from, String to) throws Exception {
    Path f = sys.resolve(from.substring(1));
    Path t = sys.resolve(to.substring(1));
    Files.createDirectories(f.getParent());
    Files.createDirectories(t);
    Files.createSymbolicLink(f, f.getParent().relativize(t));
  }
}
