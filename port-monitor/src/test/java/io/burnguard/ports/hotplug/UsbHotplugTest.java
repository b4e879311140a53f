package io.burnguard.ports.hotplug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.config.StationConfig.PortMode;
import io.burnguard.ports.PortEvent;
import io.burnguard.ports.PortMonitor;
import io.burnguard.ports.policy.Target;
import io.burnguard.ports.policy.UsbPolicy;
import io.burnguard.ports.testing.FakeSysfs;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsbHotplugTest {
  @TempDir Path tmp;
  FakeSysfs sys;
  String hub;
  final Queue source = new Queue();
  UsbHotplug hotplug;
  PortMonitor monitor;
  final List<PortEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A source fed by the test; receive() is never called by these tests' direct handle(). */
  static final class Queue implements UeventSource {
    final Deque<Received> items = new ArrayDeque<>();

    @Override
    public Received receive() {
      Received r = items.poll();
      return r == null ? Received.timedOut() : r;
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void station() throws Exception {
    sys = new FakeSysfs(tmp);
    hub = sys.rootHub();
    monitor =
        PortMonitor.builder()
            .sysfsRoot(tmp)
            .mode(PortMode.ENFORCE)
            .policy(UsbPolicy.parse("allow id 1d6b:0002\nallow id 0781:5567 serial \"OK\"\n", "r"))
            .listener(events::add)
            .build();
    hotplug = new UsbHotplug(monitor, source);
    monitor.start();
  }

  static UeventSource.Received kernel(String action, String devpath) {
    byte[] m = UeventParserTest.kernel(action, devpath);
    return new UeventSource.Received(m, m.length, 0, false, false);
  }

  String stick(String port, String serial) {
    return sys.device(hub + "/" + port, "0781", "5567", FakeSysfs.STORAGE_DESCRIPTORS, "C", serial);
  }

  @Test
  void udevFramedMessagesAreReadOnlyInATestbed() throws Exception {
    String ok = stick("1-2", "OK");
    byte[] m =
        UeventParserTest.udevFramed(
            "ACTION=add~DEVPATH=" + ok + "~SUBSYSTEM=usb~SEQNUM=7~DEVTYPE=usb_device~",
            0xfeedcafe,
            0);
    UeventSource.Received r = new UeventSource.Received(m, m.length, 0, false, false);

    assertEquals(List.of(), hotplug.handle(r), "a station reads kernel framing only");
    assertEquals(1, hotplug.malformedMessages());

    UsbHotplug inTestbed = new UsbHotplug(monitor, source, true);
    List<PortEvent> added = inTestbed.handle(r);
    assertEquals(PortEvent.Kind.INSERTED, added.get(0).kind());
    assertEquals(Target.ALLOW, added.get(0).decision().target());
  }

  @Test
  void kernelAddIsDecidedAndRemoveForgotten() throws Exception {
    String ok = stick("1-2", "OK");
    List<PortEvent> added = hotplug.handle(kernel("add", ok));
    assertEquals(PortEvent.Kind.INSERTED, added.get(0).kind());
    assertEquals(Target.ALLOW, added.get(0).decision().target());
    assertEquals(2, added.get(0).decision().line());

    List<PortEvent> removed = hotplug.handle(kernel("remove", ok));
    assertEquals(PortEvent.Kind.REMOVED, removed.get(0).kind());
  }

  @Test
  void messagesNotFromTheKernelAreDropped() throws Exception {
    String bad = stick("1-2", "NOT-OK");
    byte[] m = UeventParserTest.kernel("add", bad);
    List<PortEvent> r = hotplug.handle(new UeventSource.Received(m, m.length, 4321, false, false));
    assertEquals(List.of(), r);
    assertEquals(1, hotplug.foreignMessages());
    assertEquals(
        "1\n",
        java.nio.file.Files.readString(sys.dir(bad).resolve("authorized")),
        "not touched by a spoofed event");
  }

  @Test
  void malformedMessagesAreCountedAndDropped() throws Exception {
    byte[] junk = "add@/devices/../x\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertEquals(
        List.of(), hotplug.handle(new UeventSource.Received(junk, junk.length, 0, false, false)));
    byte[] big = new byte[UeventParser.MAX_BYTES * 2];
    assertEquals(
        List.of(), hotplug.handle(new UeventSource.Received(big, big.length * 4, 0, false, false)));
    assertEquals(2, hotplug.malformedMessages());
  }

  @Test
  void overflowRescans() throws Exception {
    String missed = stick("1-3", "NOT-OK");
    List<PortEvent> r = hotplug.handle(UeventSource.Received.overflowed());
    assertEquals(1, r.size());
    assertEquals(Target.BLOCK, r.get(0).decision().target());
    assertEquals("0", sys.read(missed, "authorized"));
  }

  @Test
  void aBurstOfAThousandUeventsIsDecidedInOrder() throws Exception {
    // 100 devices, each plugged in ten times: 1000 add, 1000 remove and 1000 bind uevents.
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      paths.add(stick("1-" + (i + 10), i % 2 == 0 ? "OK" : "NO" + i));
    }
    int decided = 0;
    for (int round = 0; round < 10; round++) {
      for (String p : paths) {
        sys.write(p, "authorized", "1\n");
        decided += hotplug.handle(kernel("add", p)).size();
        hotplug.handle(kernel("bind", p));
      }
      for (int i = 0; i < paths.size(); i++) {
        assertEquals(
            i % 2 == 0 ? "1" : "0",
            sys.read(paths.get(i), "authorized").trim(),
            "round " + round + " " + paths.get(i));
        hotplug.handle(kernel("remove", paths.get(i)));
      }
    }
    assertEquals(1000, decided);
    assertEquals(1000, events.stream().filter(e -> e.kind() == PortEvent.Kind.INSERTED).count());
    assertEquals(1000, events.stream().filter(e -> e.kind() == PortEvent.Kind.REMOVED).count());
  }

  @Test
  void theReaderThreadStopsOnClose() throws Exception {
    String ok = stick("1-2", "OK");
    source.items.add(kernel("add", ok));
    UsbHotplug running =
        new UsbHotplug(
            PortMonitor.builder()
                .sysfsRoot(tmp)
                .mode(PortMode.MONITOR)
                .policy(UsbPolicy.empty())
                .listener(events::add)
                .build(),
            source);
    running.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (events.stream().noneMatch(e -> e.kind() == PortEvent.Kind.INSERTED)
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    running.close();
    assertTrue(events.stream().anyMatch(e -> e.kind() == PortEvent.Kind.INSERTED), "" + events);
    assertTrue(running.failure().isEmpty());
  }
}
