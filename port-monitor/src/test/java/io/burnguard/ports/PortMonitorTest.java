package io.burnguard.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.config.StationConfig.PortMode;
import io.burnguard.ports.policy.Decision;
import io.burnguard.ports.policy.PolicyGenerator;
import io.burnguard.ports.policy.Target;
import io.burnguard.ports.policy.UsbPolicy;
import io.burnguard.ports.testing.FakeSysfs;
import io.burnguard.ports.usb.UsbInventory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortMonitorTest {
  static final String ALLOW_HUB = "allow id 1d6b:0002\n";

  @TempDir Path tmp;
  FakeSysfs sys;
  String hub;
  final List<PortEvent> events = new ArrayList<>();

  @BeforeEach
  void station() {
    sys = new FakeSysfs(tmp);
    hub = sys.rootHub();
  }

  PortMonitor monitor(PortMode mode, String rules) throws Exception {
    return PortMonitor.builder()
        .sysfsRoot(tmp)
        .mode(mode)
        .policy(UsbPolicy.parse(rules, "rules.conf"))
        .listener(events::add)
        .build();
  }

  String stick(String port) {
    return sys.device(
        hub + "/" + port, "0781", "5567", FakeSysfs.STORAGE_DESCRIPTORS, "Cruzer", "SN-" + port);
  }

  PortEvent eventFor(String port) {
    return events.stream().filter(e -> e.port().equals(port)).reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void enforceBlocksNewDevicesAndAStorageDeviceNamingTheRule() throws Exception {
    String s = stick("1-2");
    PortMonitor m =
        monitor(PortMode.ENFORCE, ALLOW_HUB + "block with-interface one-of { 08:*:* }\n");

    m.start();

    assertEquals("0", sys.read(hub, "authorized_default"));
    assertEquals("1", sys.read(hub, "authorized"));
    assertEquals("0", sys.read(s, "authorized"));
    PortEvent e = eventFor("1-2");
    assertEquals(PortEvent.Kind.PRESENT, e.kind());
    assertTrue(e.applied());
    assertEquals(Target.BLOCK, e.decision().target());
    assertEquals(2, e.decision().line());
    assertEquals("block with-interface one-of { 08:*:* }", e.decision().rule());
    assertEquals(
        "1",
        sys.read(hub, "interface_authorized_default").trim(),
        "no interfaces clause in the policy: interface default untouched");
  }

  @Test
  void implicitTargetIsNamedImplicit() throws Exception {
    String s = stick("1-2");
    monitor(PortMode.ENFORCE, ALLOW_HUB).start();
    assertEquals("0", sys.read(s, "authorized"));
    assertTrue(eventFor("1-2").decision().implicit());
    assertEquals(Decision.IMPLICIT, eventFor("1-2").decision().rule());
  }

  @Test
  void compositeKeyboardAndStorageWithAPerInterfaceRule() throws Exception {
    String c = sys.device(hub + "/1-3", "1234", "5678", FakeSysfs.COMBO_DESCRIPTORS, "Combo", "C1");
    sys.iface(c, "1-3:1.0", "03:01:01");
    sys.iface(c, "1-3:1.1", "08:06:50");
    sys.iface(hub, "1-0:1.0", "09:00:00");

    monitor(PortMode.ENFORCE, ALLOW_HUB + "allow id 1234:5678 ; interfaces { 03:*:* }\n").start();

    assertEquals("0", sys.read(hub, "interface_authorized_default"));
    assertEquals("1", sys.read(hub + "/1-0:1.0", "authorized"), "hub interface authorized");
    assertEquals("1", sys.read(c, "authorized"));
    assertEquals("1", sys.read(c + "/1-3:1.0", "authorized"), "keyboard interface");
    assertEquals("0", sys.read(c + "/1-3:1.1", "authorized"), "storage interface");
    PortEvent e = eventFor("1-3");
    assertTrue(e.detail().contains("1-3:1.1 08:06:50=0"), e.detail());
    assertEquals(List.of("03:*:*"), e.decision().allowedInterfaces());
  }

  @Test
  void aSecondKeyboardWhileOneIsPresentIsBlocked() throws Exception {
    String k1 =
        sys.device(hub + "/1-4", "046d", "c0c0", FakeSysfs.KEYBOARD_DESCRIPTORS, "Kb", null);
    PortMonitor m =
        monitor(
            PortMode.ENFORCE,
            ALLOW_HUB + "allow with-interface equals { 03:01:01 } ; max-present 1\n");
    m.start();
    assertEquals("1", sys.read(k1, "authorized").trim());

    String k2 =
        sys.device(hub + "/1-5", "046d", "c0c0", FakeSysfs.KEYBOARD_DESCRIPTORS, "Kb", null);
    PortEvent e = m.deviceAdded(k2);

    assertEquals(PortEvent.Kind.INSERTED, e.kind());
    assertEquals(Target.BLOCK, e.decision().target());
    assertTrue(e.decision().implicit());
    assertEquals("0", sys.read(k2, "authorized"));
  }

  @Test
  void identicalDevicesWithoutSerialKeepTheirPortsAfterGeneratePolicy() throws Exception {
    String a = sys.device(hub + "/1-4", "046d", "c0c0", FakeSysfs.KEYBOARD_DESCRIPTORS, "Kb", null);
    String b = sys.device(hub + "/1-5", "046d", "c0c0", FakeSysfs.KEYBOARD_DESCRIPTORS, "Kb", null);
    String generated =
        PolicyGenerator.generate(
            UsbInventory.at(tmp).scan().devices(), PolicyGenerator.Options.defaults());
    PortMonitor m = monitor(PortMode.ENFORCE, generated);
    m.start();
    assertEquals("1", sys.read(a, "authorized").trim());
    assertEquals("1", sys.read(b, "authorized").trim());

    String c = sys.device(hub + "/1-6", "046d", "c0c0", FakeSysfs.KEYBOARD_DESCRIPTORS, "Kb", null);
    assertEquals(Target.BLOCK, m.deviceAdded(c).decision().target());
    assertEquals("0", sys.read(c, "authorized"));
  }

  @Test
  void monitorModeDecidesButChangesNothing() throws Exception {
    stick("1-2");
    sys.device(hub + "/1-3", "1234", "9999", "0401", "Bad", null);
    Map<String, String> before = sys.contents();

    PortMonitor m = monitor(PortMode.MONITOR, "reject with-interface 08:*:*\n");
    m.start();
    m.deviceAdded(stick("1-7"));
    before.put(tmp.relativize(sys.dir(hub + "/1-7")).resolve("authorized").toString(), "1\n");

    Map<String, String> after = sys.contents();
    after.keySet().removeIf(k -> k.contains("1-7/") && !k.endsWith("/authorized"));
    before.keySet().removeIf(k -> k.contains("1-7/") && !k.endsWith("/authorized"));
    assertEquals(before, after);
    assertEquals(Target.REJECT, eventFor("1-2").decision().target());
    assertFalse(eventFor("1-2").applied());
    assertTrue(eventFor("1-2").detail().contains("monitor mode"), eventFor("1-2").detail());
    assertEquals(PortEvent.Kind.REFUSED, eventFor("1-3").kind());
    assertFalse(eventFor("1-3").applied());
  }

  @Test
  void aRestartKeepsBlockedDevicesBlocked() throws Exception {
    String s = stick("1-2");
    monitor(PortMode.ENFORCE, ALLOW_HUB).start();
    assertEquals("0", sys.read(s, "authorized"));

    events.clear();
    monitor(PortMode.ENFORCE, ALLOW_HUB).start();

    assertEquals("0", sys.read(s, "authorized"));
    assertEquals("0", sys.read(hub, "authorized_default"));
    assertEquals(Target.BLOCK, eventFor("1-2").decision().target());
  }

  @Test
  void rejectRemovesTheDevice() throws Exception {
    String s = stick("1-2");
    monitor(PortMode.ENFORCE, ALLOW_HUB + "reject id 0781:5567\n").start();
    assertEquals("1", sys.read(s, "remove"));
    assertEquals("remove=1", eventFor("1-2").detail());
  }

  @Test
  void aDeviceWithBadDescriptorsIsRefusedAndBlocked() throws Exception {
    String bad =
        sys.device(hub + "/1-3", "1234", "9999", "10010002000000403412999900010000", "X", null);
    PortMonitor m = monitor(PortMode.ENFORCE, "allow\n");
    m.start();
    PortEvent e = eventFor("1-3");
    assertEquals(PortEvent.Kind.REFUSED, e.kind());
    assertNull(e.decision());
    assertTrue(e.applied());
    assertTrue(e.detail().contains("wrong size"), e.detail());
    assertEquals("0", sys.read(bad, "authorized"));
    assertEquals(1, m.refused().size());
  }

  @Test
  void rescanFindsWhatWasMissed() throws Exception {
    String s = stick("1-2");
    PortMonitor m = monitor(PortMode.ENFORCE, ALLOW_HUB + "allow id 0781:5567\n");
    m.start();
    stick("1-3");
    java.nio.file.Files.delete(tmp.resolve("bus/usb/devices/1-2"));

    List<PortEvent> found = m.rescan();

    assertEquals(
        List.of(PortEvent.Kind.REMOVED, PortEvent.Kind.INSERTED),
        found.stream().map(PortEvent::kind).toList());
    assertEquals(
        List.of("usb1", "1-3"), m.decisions().stream().map(d -> d.device().port()).toList());
    assertEquals("1", sys.read(s, "authorized").trim());
  }

  @Test
  void reloadAppliesTheNewPolicyToPresentDevices() throws Exception {
    String s = stick("1-2");
    PortMonitor m = monitor(PortMode.ENFORCE, ALLOW_HUB + "allow id 0781:5567\n");
    m.start();
    assertEquals("1", sys.read(s, "authorized"));

    m.reload(UsbPolicy.parse(ALLOW_HUB, "new.conf"));

    assertEquals("0", sys.read(s, "authorized"));
    assertEquals("new.conf", m.policy().source());
  }

  @Test
  void modeAndPolicyMustBeGiven() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> PortMonitor.builder().sysfsRoot(tmp).build());
    assertTrue(e.getMessage().contains("mode"));
  }
}
