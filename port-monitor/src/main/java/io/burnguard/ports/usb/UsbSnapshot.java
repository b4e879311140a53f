package io.burnguard.ports.usb;

import java.util.List;

/**
 * The USB devices present at one scan: the ones described, and the ones refused.
 *
 * @param devices described devices, parents before children
 * @param refused devices whose sysfs data could not be trusted
 */
public record UsbSnapshot(List<UsbDevice> devices, List<UsbProblem> refused) {

  public UsbSnapshot {
    devices = List.copyOf(devices);
    refused = List.copyOf(refused);
  }
}
