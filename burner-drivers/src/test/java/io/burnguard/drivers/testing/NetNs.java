package io.burnguard.drivers.testing;

import io.burnguard.drivers.tftp.UdpChannelFactory;
import java.io.IOException;
import java.util.List;

/**
 * A network namespace of the test's own, holding the tap that carries a QEMU board's Ethernet.
 *
 * <p>Why a namespace: U-Boot's TFTP client always targets port 69, so parallel boards each need
 * their own port 69, and the test must not add addresses or routes to the shared machine. Why
 * setns(2) on a throwaway thread: a socket belongs to the namespace of the thread that created it,
 * and setns affects only the calling thread, so the JVM's other threads stay in the host namespace
 * while the TFTP server's sockets live next to the board.
 */
public final class NetNs implements AutoCloseable {
  private final String name;

  private NetNs(String name) {
    this.name = name;
  }

  /** Creates the namespace with a persistent tap {@code tap} at {@code cidr} (e.g. 10.0.0.1/24). */
  public static NetNs create(String name, String tap, String cidr) throws IOException {
    Exec.run(List.of("ip", "netns", "add", name));
    NetNs ns = new NetNs(name);
    try {
      ns.exec("ip", "link", "set", "lo", "up");
      ns.exec("ip", "tuntap", "add", "dev", tap, "mode", "tap");
      ns.exec("ip", "addr", "add", cidr, "dev", tap);
      ns.exec("ip", "link", "set", tap, "up");
      return ns;
    } catch (IOException e) {
      ns.close();
      throw e;
    }
  }

  public String name() {
    return name;
  }

  /** Runs a command inside the namespace and waits for it. */
  public String exec(String... cmd) throws IOException {
    List<String> full = new java.util.ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(List.of(cmd));
    return Exec.run(full);
  }

  /**
   * Opens UDP channels inside this namespace (the production path, {@link
   * UdpChannelFactory#inNamespace}).
   */
  public UdpChannelFactory udp() {
    return UdpChannelFactory.inNamespace(name);
  }

  @Override
  public void close() {
    try {
      Exec.run(List.of("ip", "netns", "del", name));
    } catch (IOException e) {
      // already gone
    }
  }
}
