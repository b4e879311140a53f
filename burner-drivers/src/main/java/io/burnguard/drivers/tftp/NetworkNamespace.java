package io.burnguard.drivers.tftp;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * UDP sockets inside a named network namespace ({@code ip netns add NAME}), for fixtures whose
 * Ethernet is kept in a namespace of its own (fixture setting {@code netns}).
 *
 * <p>Why: a device on the bench must reach the station's TFTP server and nothing else; putting the
 * fixture's interface in its own namespace keeps it off the station's other networks, and lets
 * several fixtures use the same addresses and port 69. A socket belongs to the namespace of the
 * thread that created it and {@code setns(2)} changes only the calling thread, so the socket is
 * made on a short-lived thread that enters the namespace and then ends; the JVM's other threads
 * stay where they are.
 */
final class NetworkNamespace {
  private static final int CLONE_NEWNET = 0x40000000;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  interface LibC extends Library {
    int open(String path, int flags);

    int close(int fd);

    int setns(int fd, int nstype);
  }

  private static volatile LibC libc;

  private NetworkNamespace() {}

  /** A factory opening UDP channels inside namespace {@code name}. */
  static UdpChannelFactory udp(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "fixture setting netns \""
              + name
              + "\" is not a namespace name (letters, digits, . _ -)");
    }
    return bind -> {
      CompletableFuture<DatagramChannel> f = new CompletableFuture<>();
      Thread t =
          new Thread(
              () -> {
                try {
                  enter(name);
                  f.complete(UdpChannelFactory.system().open(bind));
                } catch (IOException | RuntimeException | LinkageError e) {
                  f.completeExceptionally(e);
                }
              },
              "netns-" + name);
      t.setDaemon(true);
      t.start();
      try {
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while opening a socket in netns " + name, e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        throw new IOException(
            "cannot open a socket in network namespace " + name + ": " + c.getMessage(), c);
      }
    };
  }

  private static void enter(String name) throws IOException {
    LibC c = libc;
    if (c == null) {
      c = Native.load("c", LibC.class);
      libc = c;
    }
    int fd = c.open("/var/run/netns/" + name, 0);
    if (fd < 0) {
      throw new IOException(
          "no network namespace /var/run/netns/"
              + name
              + "; create it (ip netns add "
              + name
              + ") or fix the fixture's netns setting");
    }
    try {
      if (c.setns(fd, CLONE_NEWNET) != 0) {
        throw new IOException(
            "setns into "
                + name
                + " failed (errno "
                + Native.getLastError()
                + "); the daemon needs CAP_SYS_ADMIN for namespaced fixtures");
      }
    } finally {
      c.close(fd);
    }
  }
}
