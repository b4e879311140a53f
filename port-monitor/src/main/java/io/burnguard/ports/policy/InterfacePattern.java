package io.burnguard.ports.policy;

import io.burnguard.ports.usb.UsbInterfaceType;
import java.util.Locale;

/**
 * {@code cc:ss:pp}, {@code cc:ss:*} or {@code cc:*:*}. A null subclass or protocol is a wildcard.
 */
record InterfacePattern(int bClass, Integer subClass, Integer protocol) {
  boolean matches(UsbInterfaceType t) {
    return t.bClass() == bClass
        && (subClass == null || subClass == t.subClass())
        && (protocol == null || protocol == t.protocol());
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%02x:", bClass)
        + (subClass == null ? "*" : String.format(Locale.ROOT, "%02x", subClass))
        + ":"
        + (protocol == null ? "*" : String.format(Locale.ROOT, "%02x", protocol));
  }
}
