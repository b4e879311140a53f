package io.burnguard.ports;

import io.burnguard.ports.policy.Decision;
import io.burnguard.ports.usb.UsbAuthorizer;
import io.burnguard.ports.usb.UsbAuthorizer.InterfaceState;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies a decision to sysfs. Fails closed: a device whose allow cannot be written stays as it was
 * (unauthorized for a new device); a reject that cannot remove the device falls back to
 * deauthorizing it.
 */
final class Enforcer {
  private final UsbAuthorizer authorizer;

  Enforcer(UsbAuthorizer authorizer) {
    this.authorizer = authorizer;
  }

  /** Result of applying one decision. */
  record Outcome(boolean applied, String detail) {}

  /**
   * @param interfacesBlockedByDefault true when root hubs start new interfaces unauthorized, so
   *     every allowed device's interfaces must be authorized one by one
   */
  Outcome apply(Decision d, boolean interfacesBlockedByDefault) {
    String path = d.device().sysPath();
    try {
      switch (d.target()) {
        case ALLOW -> {
          authorizer.authorize(path, true);
          if (d.perInterface() || interfacesBlockedByDefault) {
            List<InterfaceState> done =
                authorizer.authorizeInterfaces(d.device(), d::interfaceAllowed);
            return new Outcome(true, "authorized=1; interfaces " + describe(done));
          }
          return new Outcome(true, "authorized=1");
        }
        case REJECT -> {
          return reject(path);
        }
        default -> {
          authorizer.authorize(path, false);
          return new Outcome(true, "authorized=0");
        }
      }
    } catch (IOException e) {
      return new Outcome(false, "could not apply " + d.target().keyword() + ": " + e.getMessage());
    }
  }

  /** Blocks a device the inventory refused. */
  Outcome block(String sysPath) {
    try {
      authorizer.authorize(sysPath, false);
      return new Outcome(true, "authorized=0");
    } catch (IOException e) {
      return new Outcome(false, "could not block: " + e.getMessage());
    }
  }

  private Outcome reject(String path) throws IOException {
    try {
      authorizer.remove(path);
      return new Outcome(true, "remove=1");
    } catch (IOException e) {
      authorizer.authorize(path, false);
      return new Outcome(true, "remove failed (" + e.getMessage() + "); authorized=0 instead");
    }
  }

  private static String describe(List<InterfaceState> done) {
    if (done.isEmpty()) {
      return "none present yet";
    }
    return done.stream()
        .map(i -> i.name() + " " + i.type() + "=" + (i.authorized() ? "1" : "0"))
        .collect(Collectors.joining(", "));
  }
}
