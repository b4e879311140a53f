package io.burnguard.agent.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.alerts.Severity;
import io.burnguard.config.StationConfig.PortMode;
import io.burnguard.ports.PortEvent;
import io.burnguard.ports.policy.Decision;
import io.burnguard.ports.policy.Target;
import io.burnguard.ports.usb.UsbDevice;
import io.burnguard.ports.usb.UsbInterfaceType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PortAlertTest {
  static final UsbInterfaceType KEYBOARD = new UsbInterfaceType(3, 1, 1);
  static final UsbInterfaceType STORAGE = new UsbInterfaceType(8, 6, 0x50);
  static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

  static UsbDevice device(String port, String name, UsbInterfaceType... interfaces) {
    return new UsbDevice(
        "/devices/pci0000:00/0000:00:14.0/usb1/" + port,
        port,
        "0781",
        "5567",
        name,
        "",
        "",
        "hotplug",
        true,
        false,
        "/devices/pci0000:00/0000:00:14.0/usb1",
        true,
        List.of(interfaces),
        "hash-" + port,
        "parent-hash");
  }

  static Decision decision(UsbDevice d, Target t, int line, String rule) {
    return new Decision(d, t, line, rule, List.of(), T);
  }

  static PortEvent event(PortEvent.Kind kind, Decision d) {
    return new PortEvent(
        kind, PortMode.ENFORCE, d.device().sysPath(), d.device().port(), d, true, "written", T);
  }

  @Test
  void unknownStorageIsSeverityOneWhateverTheTarget() {
    for (Target t : List.of(Target.BLOCK, Target.ALLOW)) {
      Decision d = decision(device("1-2", "Cruzer", STORAGE), t, 0, Decision.IMPLICIT);
      PortAlert a = PortAlert.of(event(PortEvent.Kind.INSERTED, d), List.of()).orElseThrow();
      assertEquals(Severity.CRITICAL, a.severity());
      assertEquals("port.unknown-storage", a.kind());
      assertTrue(a.message().contains("by the implicit target"), a.message());
    }
  }

  @Test
  void aSecondHidPluggedInIsSeverityOneEvenWhenARuleAllowsIt() {
    Decision first = decision(device("1-4", "Keyboard", KEYBOARD), Target.ALLOW, 1, "allow");
    Decision second = decision(device("1-5", "Keyboard", KEYBOARD), Target.ALLOW, 1, "allow");
    PortAlert a =
        PortAlert.of(event(PortEvent.Kind.INSERTED, second), List.of(first, second)).orElseThrow();
    assertEquals(Severity.CRITICAL, a.severity());
    assertEquals("port.second-hid", a.kind());
    // Alone, or present at start, the same keyboard is routine.
    assertEquals(
        Severity.INFO,
        PortAlert.of(event(PortEvent.Kind.INSERTED, second), List.of(second))
            .orElseThrow()
            .severity());
    assertEquals(
        Optional.empty(), PortAlert.of(event(PortEvent.Kind.PRESENT, second), List.of(first)));
  }

  @Test
  void aBlockNamesTheRuleAndIsSeverityTwo() {
    Decision d =
        decision(device("1-2", "Cruzer\u001b[2J", STORAGE), Target.BLOCK, 5, "block id 0781:5567");
    PortAlert a = PortAlert.of(event(PortEvent.Kind.PRESENT, d), List.of()).orElseThrow();
    assertEquals(Severity.WARNING, a.severity());
    assertEquals(
        "USB device 0781:5567 \"Cruzer?[2J\" on port 1-2: block by line 5: block id 0781:5567"
            + " (enforce mode: written)",
        a.message());
  }

  @Test
  void refusedDevicesAreSeverityTwoAndRemovalsRaiseNothing() {
    PortEvent refused =
        new PortEvent(
            PortEvent.Kind.REFUSED, PortMode.MONITOR, "/x/1-3", "1-3", null, false, "bad", T);
    assertEquals(Severity.WARNING, PortAlert.of(refused, List.of()).orElseThrow().severity());
    PortEvent removed =
        new PortEvent(
            PortEvent.Kind.REMOVED, PortMode.MONITOR, "/x/1-3", "1-3", null, false, "removed", T);
    assertEquals(Optional.empty(), PortAlert.of(removed, List.of()));
  }
}
