package io.burnguard.agent.alerts;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One datagram to a unix datagram socket such as {@code /dev/log}, through JNA: Java 17 has unix
 * stream sockets only.
 */
final class UnixDatagram {
  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int SUN_PATH = 108;

  /** The libc calls; return values decide, errno is read only on failure. */
  interface LibC extends Library {
    int socket(int domain, int type, int protocol);

    long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen);

    int close(int fd);
  }

  private static final class Holder {
    static final LibC C = Native.load("c", LibC.class);
  }

  private UnixDatagram() {}

  static void send(String path, byte[] message) throws IOException {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    if (p.length >= SUN_PATH) {
      throw new IOException("socket path " + path + " is longer than " + (SUN_PATH - 1) + " bytes");
    }
    ByteBuffer sa = ByteBuffer.allocate(2 + SUN_PATH).order(ByteOrder.nativeOrder());
    sa.putShort((short) AF_UNIX).put(p);
    LibC c = Holder.C;
    int fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw new IOException("cannot open a unix datagram socket: errno " + Native.getLastError());
    }
    try {
      if (c.sendto(fd, message, message.length, 0, sa.array(), 2 + p.length + 1) < 0) {
        throw new IOException("sending to " + path + " failed: errno " + Native.getLastError());
      }
    } finally {
      c.close(fd);
    }
  }
}
