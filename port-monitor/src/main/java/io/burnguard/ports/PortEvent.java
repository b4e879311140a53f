package io.burnguard.ports;

import io.burnguard.config.StationConfig.PortMode;
import io.burnguard.ports.policy.Decision;
import java.time.Instant;
import java.util.Objects;

/**
 * One thing the port monitor saw and what it did about it; the record the daemon chains into its
 * audit log and turns into alerts.
 *
 * @param kind what happened
 * @param mode the mode the monitor ran in
 * @param sysPath the device's path below the sysfs root
 * @param port the device's port name ({@code 1-2})
 * @param decision the policy's decision (device identity, target, rule text and line or implicit);
 *     null for {@link Kind#REMOVED} and {@link Kind#REFUSED}
 * @param applied true when sysfs now reflects the decision (always false in monitor mode)
 * @param detail what was written, or why nothing was, or why the device was refused
 * @param at when
 */
public record PortEvent(
    Kind kind,
    PortMode mode,
    String sysPath,
    String port,
    Decision decision,
    boolean applied,
    String detail,
    Instant at) {

  /** What happened to a device. */
  public enum Kind {
    /** Present when the monitor started, or re-decided after a policy reload. */
    PRESENT,
    /** Plugged in while the monitor ran. */
    INSERTED,
    /** Unplugged. */
    REMOVED,
    /** Its sysfs data (descriptors, ids, strings) could not be trusted; it is blocked. */
    REFUSED
  }

  public PortEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(sysPath, "sysPath");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(at, "at");
    if ((decision == null) != (kind == Kind.REMOVED || kind == Kind.REFUSED)) {
      throw new IllegalArgumentException(kind + " event with decision " + decision);
    }
  }
}
