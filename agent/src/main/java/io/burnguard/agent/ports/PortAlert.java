package io.burnguard.agent.ports;

import io.burnguard.agent.alerts.Severity;
import io.burnguard.ports.PortEvent;
import io.burnguard.ports.policy.Decision;
import io.burnguard.ports.policy.Target;
import io.burnguard.ports.usb.UsbDevice;
import io.burnguard.ports.usb.UsbInterfaceType;
import java.util.List;
import java.util.Optional;

/**
 * The alert a port event deserves, if any (issue 14): severity 1 ({@link Severity#CRITICAL}) for an
 * attack or data risk, 2 ({@link Severity#WARNING}) for something suspicious, 3 ({@link
 * Severity#INFO}) for routine changes security staff want to see.
 *
 * <ul>
 *   <li>1: mass storage no rule names (the implicit target decided), whatever the target; a new HID
 *       device plugged in while another HID device is present (BadUSB).
 *   <li>2: a device refused for untrustworthy sysfs data; any other device blocked or rejected.
 *   <li>3: a device plugged in and allowed.
 * </ul>
 *
 * Devices present at start or re-decided after a reload, when allowed, and removals raise none:
 * they are on record in {@code port_events}.
 *
 * @param severity how urgent
 * @param kind machine-readable kind ({@code port.unknown-storage})
 * @param message what happened, naming the device, the port and the rule that decided
 */
public record PortAlert(Severity severity, String kind, String message) {

  /**
   * The alert for {@code e}; {@code others} are the decisions for the other present devices (before
   * this one).
   */
  public static Optional<PortAlert> of(PortEvent e, List<Decision> others) {
    if (e.kind() == PortEvent.Kind.REMOVED) {
      return Optional.empty();
    }
    if (e.kind() == PortEvent.Kind.REFUSED) {
      return Optional.of(
          new PortAlert(
              Severity.WARNING,
              "port.refused-device",
              "USB device on port " + e.port() + " refused: " + e.detail()));
    }
    Decision d = e.decision();
    UsbDevice dev = d.device();
    String what = describe(e, d);
    if (dev.hasInterfaceClass(UsbInterfaceType.CLASS_MASS_STORAGE) && d.implicit()) {
      return Optional.of(
          new PortAlert(Severity.CRITICAL, "port.unknown-storage", "unknown mass storage " + what));
    }
    if (e.kind() == PortEvent.Kind.INSERTED
        && dev.hasInterfaceClass(UsbInterfaceType.CLASS_HID)
        && others.stream()
            .anyMatch(
                o ->
                    !o.device().sysPath().equals(dev.sysPath())
                        && o.device().hasInterfaceClass(UsbInterfaceType.CLASS_HID))) {
      return Optional.of(
          new PortAlert(
              Severity.CRITICAL,
              "port.second-hid",
              "a new keyboard/HID device while one is present: " + what));
    }
    if (d.target() != Target.ALLOW) {
      return Optional.of(new PortAlert(Severity.WARNING, "port.blocked", "USB device " + what));
    }
    if (e.kind() == PortEvent.Kind.INSERTED) {
      return Optional.of(new PortAlert(Severity.INFO, "port.allowed", "USB device " + what));
    }
    return Optional.empty();
  }

  /**
   * {@code 0781:5567 "Cruzer Blade" serial "X" on port 1-2: block by line 3: block id 0781:* (in
   * enforce mode: authorized=0 written)}.
   */
  private static String describe(PortEvent e, Decision d) {
    UsbDevice dev = d.device();
    return dev.id()
        + " \""
        + printable(dev.name())
        + "\""
        + (dev.serial().isEmpty() ? "" : " serial \"" + printable(dev.serial()) + "\"")
        + " on port "
        + e.port()
        + ": "
        + d.target().keyword()
        + " by "
        + (d.implicit()
            ? "the implicit target (no rule matched)"
            : "line " + d.line() + ": " + d.rule())
        + " ("
        + e.mode().name().toLowerCase(java.util.Locale.ROOT)
        + " mode: "
        + e.detail()
        + ")";
  }

  /** Device strings are hostile: control characters become {@code ?} before they reach a log. */
  public static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return b.toString();
  }
}
