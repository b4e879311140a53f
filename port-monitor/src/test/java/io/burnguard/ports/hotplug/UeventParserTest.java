package io.burnguard.ports.hotplug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UeventParserTest {
  static final String DEV = "/devices/pci0000:00/0000:00:14.0/usb1/1-2";

  static byte[] kernel(String action, String devpath, String... extra) {
    StringBuilder b = new StringBuilder(action + "@" + devpath + "\0");
    b.append("ACTION=").append(action).append('\0');
    b.append("DEVPATH=").append(devpath).append('\0');
    b.append("SUBSYSTEM=usb\0DEVTYPE=usb_device\0SEQNUM=4242\0");
    for (String e : extra) {
      b.append(e).append('\0');
    }
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  static Uevent parse(byte[] m) throws MalformedUeventException {
    return UeventParser.parse(m, m.length);
  }

  /** A message framed as umockdev sends it (libudev's header, then the pairs). */
  static byte[] udevFramed(String pairs, int magic, int offsetShift) {
    byte[] props = pairs.replace('~', '\0').getBytes(StandardCharsets.ISO_8859_1);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(40 + props.length);
    b.put("libudev\0".getBytes(StandardCharsets.ISO_8859_1));
    b.order(java.nio.ByteOrder.BIG_ENDIAN).putInt(magic);
    b.order(java.nio.ByteOrder.nativeOrder());
    b.putInt(40)
        .putInt(40 + offsetShift)
        .putInt(props.length)
        .putInt(0)
        .putInt(0)
        .putInt(0)
        .putInt(0);
    b.put(props);
    return b.array();
  }

  @Test
  void parsesAUdevFramedMessageWithTheSameChecks() throws Exception {
    // umockdev repeats a recording's properties after its own: the same value twice is accepted.
    String ok =
        "ACTION=add~DEVPATH=" + DEV + "~SUBSYSTEM=usb~SEQNUM=1~DEVTYPE=usb_device~SUBSYSTEM=usb~";
    byte[] m = udevFramed(ok, 0xfeedcafe, 0);
    Uevent e = UeventParser.parseUdevFramed(m, m.length);
    assertEquals("add", e.action());
    assertEquals(DEV, e.devpath());
    assertTrue(e.isUsbDevice());
    assertThrows(MalformedUeventException.class, () -> parse(m), "kernel framing only");

    byte[] badMagic = udevFramed(ok, 0xcafefeed, 0);
    assertTrue(
        assertThrows(
                MalformedUeventException.class,
                () -> UeventParser.parseUdevFramed(badMagic, badMagic.length))
            .getMessage()
            .contains("magic"));
    byte[] badOffset = udevFramed(ok, 0xfeedcafe, 4);
    assertTrue(
        assertThrows(
                MalformedUeventException.class,
                () -> UeventParser.parseUdevFramed(badOffset, badOffset.length))
            .getMessage()
            .contains("properties at 44"));
    byte[] dotDot =
        udevFramed("ACTION=add~DEVPATH=/devices/../etc~SUBSYSTEM=usb~SEQNUM=1~", 0xfeedcafe, 0);
    assertTrue(
        assertThrows(
                MalformedUeventException.class,
                () -> UeventParser.parseUdevFramed(dotDot, dotDot.length))
            .getMessage()
            .contains("not a path"));
    byte[] twoSubsystems =
        udevFramed(
            "ACTION=add~DEVPATH=" + DEV + "~SUBSYSTEM=usb~SEQNUM=1~SUBSYSTEM=block~",
            0xfeedcafe,
            0);
    assertTrue(
        assertThrows(
                MalformedUeventException.class,
                () -> UeventParser.parseUdevFramed(twoSubsystems, twoSubsystems.length))
            .getMessage()
            .contains("SUBSYSTEM appears twice"));
  }

  @Test
  void parsesAKernelAdd() throws Exception {
    Uevent e = parse(kernel("add", DEV, "PRODUCT=781/5567/100", "BUSNUM=001"));
    assertEquals("add", e.action());
    assertEquals(DEV, e.devpath());
    assertTrue(e.isUsbDevice());
    assertEquals(4242, e.seqnum());
    assertEquals("781/5567/100", e.environment().get("PRODUCT"));
  }

  /** {@code ~} stands for NUL (CSV values are trimmed, which would eat a trailing NUL). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no NUL at the end | add@/devices/x~ACTION=add | not terminated by NUL",
        "udev message | libudev~add@/devices/x~ | libudev",
        "header only | add@/devices/x~ | fields",
        "no equals | add@/devices/x~ACTION~ | not KEY=VALUE",
        "lower-case key | add@/devices/x~action=add~ | not KEY=VALUE",
        "no DEVPATH | add@/devices/x~ACTION=add~SUBSYSTEM=usb~SEQNUM=1~ | no DEVPATH",
        "header mismatch | add@/devices/y~ACTION=add~DEVPATH=/devices/x~SUBSYSTEM=usb"
            + "~SEQNUM=1~ | does not match",
        "unknown action | evil@/devices/x~ACTION=evil~DEVPATH=/devices/x~SUBSYSTEM=usb"
            + "~SEQNUM=1~ | unknown action",
        "dot-dot path | add@/devices/../../etc~ACTION=add~DEVPATH=/devices/../../etc~"
            + "SUBSYSTEM=usb~SEQNUM=1~ | not a path",
        "path outside | add@/etc/x~ACTION=add~DEVPATH=/etc/x~SUBSYSTEM=usb~"
            + "SEQNUM=1~ | not a path",
        "bad seqnum | add@/devices/x~ACTION=add~DEVPATH=/devices/x~SUBSYSTEM=usb~"
            + "SEQNUM=12a~ | not a number",
        "repeated key | add@/devices/x~ACTION=add~ACTION=add~ | twice",
        "control char | add@/devices/x~ACTION=add~DEVPATH=/devices/x~SUBSYSTEM=u\u001bsb"
            + "~SEQNUM=1~ | control character",
      })
  void refusesMalformedMessages(String what, String message, String expected) {
    byte[] m = message.replace('~', '\0').getBytes(StandardCharsets.ISO_8859_1);
    MalformedUeventException e = assertThrows(MalformedUeventException.class, () -> parse(m));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void refusesOversizedMessages() {
    byte[] big = kernel("add", DEV, "JUNK=" + "x".repeat(UeventParser.MAX_BYTES));
    MalformedUeventException e = assertThrows(MalformedUeventException.class, () -> parse(big));
    assertTrue(e.getMessage().contains("at most"), e.getMessage());
  }

  @Test
  void refusesALengthBeyondTheBuffer() {
    byte[] m = kernel("add", DEV);
    assertThrows(MalformedUeventException.class, () -> UeventParser.parse(m, m.length + 10));
  }

  @Test
  void printableEscapesControlBytes() {
    assertEquals("a\\x1bb", UeventParser.printable("a\u001bb"));
  }
}
