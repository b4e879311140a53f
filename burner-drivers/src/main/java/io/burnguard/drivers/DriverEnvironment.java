package io.burnguard.drivers;

import io.burnguard.drivers.serial.SerialLinkFactory;
import io.burnguard.drivers.tftp.UdpChannelFactory;
import java.time.Clock;
import java.util.Objects;

/**
 * What drivers take from the outside world, injected so tests can fake or redirect it.
 *
 * @param clock time source for deadlines and rates
 * @param serial opens the fixture's serial port
 * @param udp opens the TFTP server's socket (a test fixture binds it inside a network namespace)
 */
public record DriverEnvironment(Clock clock, SerialLinkFactory serial, UdpChannelFactory udp) {
  public DriverEnvironment {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(udp, "udp");
  }

  /** The real clock, jSerialComm ports and ordinary UDP sockets. */
  public static DriverEnvironment system() {
    return new DriverEnvironment(
        Clock.systemUTC(), SerialLinkFactory.jSerialComm(), UdpChannelFactory.system());
  }

  public DriverEnvironment withSerial(SerialLinkFactory s) {
    return new DriverEnvironment(clock, s, udp);
  }

  public DriverEnvironment withUdp(UdpChannelFactory u) {
    return new DriverEnvironment(clock, serial, u);
  }
}
