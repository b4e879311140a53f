package io.burnguard.drivers.tftp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * Opens a bound UDP channel. Production binds ordinary sockets on the fixture's interface; a test
 * fixture can create them inside the board's network namespace instead.
 */
@FunctionalInterface
public interface UdpChannelFactory {
  DatagramChannel open(InetSocketAddress bind) throws IOException;

  /**
   * Opens channels inside the network namespace {@code name} (a fixture interface kept in one).
   *
   * @throws IllegalArgumentException when {@code name} is not a namespace name
   */
  static UdpChannelFactory inNamespace(String name) {
    return NetworkNamespace.udp(name);
  }

  static UdpChannelFactory system() {
    return bind -> {
      DatagramChannel ch = DatagramChannel.open();
      try {
        ch.bind(bind);
        return ch;
      } catch (IOException e) {
        ch.close();
        throw e;
      }
    };
  }
}
