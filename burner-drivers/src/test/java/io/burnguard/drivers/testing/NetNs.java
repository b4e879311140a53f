package io.burnguard.drivers.testing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.burnguard.drivers.tftp.UdpChannelFactory;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

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
  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY = 0;

  interface LibC extends Library {
    int open(String path, int flags);

    int close(int fd);

    int setns(int fd, int nstype);
  }

  private static volatile LibC libc;

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

  /** Opens UDP channels inside this namespace. */
  public UdpChannelFactory udp() {
    return bind -> {
      CompletableFuture<DatagramChannel> f = new CompletableFuture<>();
      Thread t =
          new Thread(
              () -> {
                try {
                  enter();
                  f.complete(UdpChannelFactory.system().open(bind));
                } catch (IOException | RuntimeException e) {
                  f.completeExceptionally(e);
                }
              },
              "netns-" + name);
      t.start();
      try {
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (ExecutionException e) {
        throw new IOException("cannot open a socket in netns " + name, e.getCause());
      }
    };
  }

  private void enter() throws IOException {
    if (libc == null) {
      libc = Native.load("c", LibC.class);
    }
    int fd = libc.open("/var/run/netns/" + name, O_RDONLY);
    if (fd < 0) {
      throw new IOException("cannot open /var/run/netns/" + name);
    }
    try {
      if (libc.setns(fd, CLONE_NEWNET) != 0) {
        throw new IOException(
            "setns into " + name + " failed (errno " + Native.getLastError() + ")");
      }
    } finally {
      libc.close(fd);
    }
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
