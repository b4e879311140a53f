package io.burnguard.ports.hotplug;

import java.util.Map;
import java.util.Objects;

/**
 * One kernel uevent, validated.
 *
 * @param action {@code add}, {@code remove}, {@code change}, {@code bind}, ...
 * @param devpath the device's path below the sysfs root ({@code /devices/...})
 * @param subsystem e.g. {@code usb}
 * @param devtype e.g. {@code usb_device}, empty when absent
 * @param seqnum the kernel's sequence number
 * @param environment every KEY=VALUE of the message
 */
public record Uevent(
    String action,
    String devpath,
    String subsystem,
    String devtype,
    long seqnum,
    Map<String, String> environment) {

  public Uevent {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(devpath, "devpath");
    Objects.requireNonNull(subsystem, "subsystem");
    Objects.requireNonNull(devtype, "devtype");
    environment = Map.copyOf(environment);
  }

  /** True for the add or remove of a whole USB device (not an interface). */
  public boolean isUsbDevice() {
    return subsystem.equals("usb") && devtype.equals("usb_device");
  }
}
