package io.burnguard.ports.policy;

/**
 * {@code vvvv:pppp} with {@code *} wildcards, as written in the rule (case kept, like USBGuard).
 */
record DeviceIdPattern(String vendor, String product) {
  /** USBGuard's USBDeviceID::isSubsetOf: a wildcard vendor matches all, then exact strings. */
  boolean matches(String deviceVendor, String deviceProduct) {
    if (vendor.equals("*")) {
      return true;
    }
    if (!vendor.equals(deviceVendor)) {
      return false;
    }
    return product.equals("*") || product.equals(deviceProduct);
  }

  @Override
  public String toString() {
    return vendor + ":" + product;
  }
}
