package io.burnguard.ports;

/** How the port monitor acts on its decisions. */
public enum Mode {
  /** Decide, record and write the kernel's authorization attributes. */
  ENFORCE,
  /** Decide and record only; nothing in sysfs is changed (staged roll-out, audit only). */
  MONITOR
}
