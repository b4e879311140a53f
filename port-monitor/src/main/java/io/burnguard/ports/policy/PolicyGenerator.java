package io.burnguard.ports.policy;

import io.burnguard.ports.usb.UsbDevice;
import io.burnguard.ports.usb.UsbInterfaceType;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code usbguard generate-policy}: one {@code allow} rule per present device, in the same form and
 * attribute order, so the output of the two can be compared line by line and a policy made by
 * either matches the same devices.
 */
public final class PolicyGenerator {

  /**
   * What to put in each rule; the defaults are {@code usbguard generate-policy}'s.
   *
   * @param withPorts add {@code via-port} to every rule ({@code -p})
   * @param portsForNoSerial add {@code via-port} to devices without a serial ({@code -P} turns this
   *     off), which is what tells identical devices apart
   * @param withHashes add {@code hash} and {@code parent-hash} ({@code -X} turns this off)
   * @param catchAll a last rule with this target ({@code -t}), or null for none
   */
  public record Options(
      boolean withPorts, boolean portsForNoSerial, boolean withHashes, Target catchAll) {

    public Options {
      if (catchAll != null
          && catchAll != Target.ALLOW
          && catchAll != Target.BLOCK
          && catchAll != Target.REJECT) {
        throw new IllegalArgumentException(
            "catch-all target is " + catchAll + "; expected allow, block or reject");
      }
    }

    /** {@code usbguard generate-policy} without options. */
    public static Options defaults() {
      return new Options(false, true, true, null);
    }
  }

  private PolicyGenerator() {}

  /** The rules, one per line, each line ending with a newline. */
  public static String generate(List<UsbDevice> devices, Options options) {
    Objects.requireNonNull(options, "options");
    StringBuilder out = new StringBuilder();
    for (UsbDevice d : devices) {
      out.append(rule(d, options)).append('\n');
    }
    if (options.catchAll() != null) {
      out.append(options.catchAll().keyword()).append('\n');
    }
    return out.toString();
  }

  /** The rule for one device. */
  public static String rule(UsbDevice d, Options options) {
    StringBuilder b = new StringBuilder("allow id ").append(d.id());
    b.append(" serial ").append(Escapes.quote(d.serial()));
    b.append(" name ").append(Escapes.quote(d.name()));
    if (options.withHashes()) {
      b.append(" hash ").append(Escapes.quote(d.hash()));
      b.append(" parent-hash ").append(Escapes.quote(d.parentHash()));
    }
    if (options.withPorts() || (options.portsForNoSerial() && d.serial().isEmpty())) {
      b.append(" via-port ").append(Escapes.quote(d.port()));
    }
    List<UsbInterfaceType> interfaces = d.interfaces();
    if (interfaces.size() == 1) {
      b.append(" with-interface ").append(interfaces.get(0));
    } else if (interfaces.size() > 1) {
      b.append(" with-interface { ")
          .append(interfaces.stream().map(Object::toString).collect(Collectors.joining(" ")))
          .append(" }");
    }
    b.append(" with-connect-type ").append(Escapes.quote(d.connectType()));
    return b.toString();
  }
}
