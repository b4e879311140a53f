package io.burnguard.drivers.serial;

import java.io.IOException;

/** Opens a serial port by path: {@code /dev/serial/by-id/...}, {@code /dev/ttyUSB0}, a pty. */
@FunctionalInterface
public interface SerialLinkFactory {
  SerialLink open(String path, int baud) throws IOException;

  /** Real ports through jSerialComm. */
  static SerialLinkFactory jSerialComm() {
    return JSerialCommLink::open;
  }
}
