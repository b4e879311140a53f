package io.burnguard.ports.usb;

/**
 * A USB device the inventory refused to describe (malformed descriptors, missing attributes). Such
 * a device has no trustworthy identity, so a policy must not allow it: enforcement blocks it
 * (USBGuard rejects a device it cannot read, for the same reason).
 *
 * @param sysPath the device's path below the sysfs root
 * @param port the kernel's name for the device
 * @param reason what was found and what was expected
 */
public record UsbProblem(String sysPath, String port, String reason) {}
