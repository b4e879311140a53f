package io.burnguard.ports.policy;

import io.burnguard.ports.usb.UsbDevice;
import io.burnguard.ports.usb.UsbInterfaceType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the policy decided for one device, and why.
 *
 * @param device the device
 * @param target allow, block or reject
 * @param line the 1-based line of the rule that matched, 0 for the implicit target
 * @param rule the rule's text as written, or {@code implicit}
 * @param allowedInterfaces for an allow rule with an {@code interfaces} clause, the interface types
 *     it authorizes ({@code 03:01:01}, {@code 08:*:*}); empty means every interface
 * @param at when the decision was made
 */
public record Decision(
    UsbDevice device,
    Target target,
    int line,
    String rule,
    List<String> allowedInterfaces,
    Instant at) {

  /** The {@link #rule} of a decision made by the implicit target. */
  public static final String IMPLICIT = "implicit";

  public Decision {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(at, "at");
    allowedInterfaces = List.copyOf(allowedInterfaces);
    if (line < 0 || (line == 0) != IMPLICIT.equals(rule)) {
      throw new IllegalArgumentException("line " + line + " with rule '" + rule + "'");
    }
  }

  /** True when no rule matched and the implicit target decided. */
  public boolean implicit() {
    return line == 0;
  }

  /** True when the decision authorizes only some interfaces. */
  public boolean perInterface() {
    return !allowedInterfaces.isEmpty();
  }

  /** Whether an interface of the device may be used under this decision. */
  public boolean interfaceAllowed(UsbInterfaceType type) {
    if (target != Target.ALLOW) {
      return false;
    }
    if (allowedInterfaces.isEmpty()) {
      return true;
    }
    String t = type.toString();
    for (String pattern : allowedInterfaces) {
      if (matches(pattern, t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String pattern, String type) {
    String[] p = pattern.split(":");
    String[] t = type.split(":");
    for (int i = 0; i < 3; i++) {
      if (!p[i].equals("*") && !p[i].equalsIgnoreCase(t[i])) {
        return false;
      }
    }
    return true;
  }

  /** {@code allow 1-2 (0781:5567 "Cruzer") by line 4: allow id 0781:*}, for logs. */
  public String describe() {
    return target.keyword()
        + " "
        + device.port()
        + " ("
        + device.id()
        + ") by "
        + (implicit() ? "the implicit target" : "line " + line + ": " + rule);
  }
}
