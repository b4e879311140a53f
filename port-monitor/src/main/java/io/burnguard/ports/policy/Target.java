package io.burnguard.ports.policy;

import java.util.Locale;

/** A rule's target, USBGuard's keywords. */
public enum Target {
  /** Authorize the device. */
  ALLOW,
  /** Leave the device unauthorized (it stays connected, unusable). */
  BLOCK,
  /** Remove the device from the system. */
  REJECT,
  /** Match only (used by allowed-matches queries); never decides. */
  MATCH,
  /** A device description (USBGuard's IPC form); never decides. */
  DEVICE;

  /** The rule-language keyword. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }
}
