package io.burnguard.ports.hotplug;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A NETLINK_KOBJECT_UEVENT socket bound to the kernel's uevent multicast group (netlink(7)),
 * through JNA so no native build step is needed.
 *
 * <p>Design. The socket is opened before the initial sysfs scan, so events that happen during the
 * scan wait in its receive buffer (1 MiB, raised with SO_RCVBUFFORCE when the daemon has
 * CAP_NET_ADMIN). Each message's sender address is returned; only port id 0 is the kernel, and
 * anything else (udevd's re-broadcasts, another process) is dropped by the caller. A full buffer
 * shows as ENOBUFS, reported as an overflow so the caller rescans sysfs. Receives time out every
 * {@code timeoutMillis} so the reading thread can notice a close.
 *
 * <p>Messages are read with recvmsg(2) into native memory that this source owns (one reader
 * thread): a {@code struct msghdr} (LP64 layout: name at 0, namelen at 8, iov at 16, iovlen at 24,
 * control at 32 and 40, flags at 48) with one {@code iovec} and a {@code sockaddr_nl} for the
 * sender. MSG_TRUNC makes the call return a datagram's full length, so an oversized message is seen
 * as such rather than cut silently.
 */
final class NetlinkUeventSource implements UeventSource {
  private static final int AF_NETLINK = 16;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_KOBJECT_UEVENT = 15;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVBUF = 8;
  private static final int SO_RCVTIMEO = 20;
  private static final int SO_RCVBUFFORCE = 33;
  private static final int MSG_TRUNC = 0x20;
  private static final int EINTR = 4;
  private static final int EAGAIN = 11;
  private static final int ENOBUFS = 105;
  private static final int KERNEL_GROUP = 1;
  private static final int RECEIVE_BUFFER = 1 << 20;
  private static final int SOCKADDR_NL = 12;

  /** The libc calls used; errno comes back as LastErrorException. */
  interface LibC extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

    /**
     * Declared without LastErrorException: JNA would throw on any errno left set by a successful
     * call, and umockdev's preloaded bind (which emulates uevent sockets in tests) leaves ENOENT
     * from its own unlink. The return value decides; errno is read only on failure.
     */
    int bind(int fd, byte[] address, int length);

    /**
     * recvmsg(2), not recvfrom: umockdev emulates the uevent socket by wrapping recvmsg (and
     * setting the sender to port id 0 there), so the same call works on the kernel and in tests.
     */
    NativeLong recvmsg(int fd, Pointer message, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private static final class Holder {
    static final LibC C = Native.load("c", LibC.class);
  }

  private static final int MSGHDR = 56;
  private static final int IOVEC = 16;

  private final int fd;
  private final int capacity = UeventParser.MAX_BYTES * 2;
  private final Memory buffer = new Memory(capacity);
  private final Memory sender = new Memory(SOCKADDR_NL);
  private final Memory iov = new Memory(IOVEC);
  private final Memory header = new Memory(MSGHDR);
  private volatile boolean closed;

  private NetlinkUeventSource(int fd) {
    this.fd = fd;
    iov.setPointer(0, buffer);
    iov.setLong(8, capacity);
  }

  /** Opens and binds the socket. */
  static NetlinkUeventSource open(int timeoutMillis) throws IOException {
    LibC c = Holder.C;
    int fd;
    try {
      fd = c.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
    } catch (LastErrorException e) {
      throw new IOException("cannot open a netlink uevent socket: errno " + e.getErrorCode(), e);
    }
    try {
      byte[] size = ints(RECEIVE_BUFFER);
      try {
        c.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, size, 4);
      } catch (LastErrorException notAdmin) {
        c.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size, 4);
      }
      ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
      tv.putLong(timeoutMillis / 1000).putLong((timeoutMillis % 1000) * 1000L);
      c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv.array(), 16);
      ByteBuffer sa = ByteBuffer.allocate(SOCKADDR_NL).order(ByteOrder.nativeOrder());
      sa.putShort((short) AF_NETLINK).putShort((short) 0).putInt(0).putInt(KERNEL_GROUP);
      if (c.bind(fd, sa.array(), SOCKADDR_NL) != 0) {
        throw new LastErrorException(Native.getLastError());
      }
      return new NetlinkUeventSource(fd);
    } catch (LastErrorException e) {
      c.close(fd);
      throw new IOException(
          "cannot set up the netlink uevent socket: errno " + e.getErrorCode(), e);
    }
  }

  @Override
  public Received receive() throws IOException {
    while (!closed) {
      header.clear();
      sender.clear();
      header.setPointer(0, sender);
      header.setInt(8, SOCKADDR_NL);
      header.setPointer(16, iov);
      header.setLong(24, 1);
      try {
        long n = Holder.C.recvmsg(fd, header, MSG_TRUNC).longValue();
        int pid = sender.getInt(4);
        int length = (int) Math.min(n, Integer.MAX_VALUE);
        byte[] copy = buffer.getByteArray(0, Math.min(length, capacity));
        return new Received(copy, length, pid, false, false);
      } catch (LastErrorException e) {
        switch (e.getErrorCode()) {
          case EINTR -> {
            // retry
          }
          case EAGAIN -> {
            return Received.timedOut();
          }
          case ENOBUFS -> {
            return Received.overflowed();
          }
          default ->
              throw new IOException("netlink uevent receive failed: errno " + e.getErrorCode(), e);
        }
      }
    }
    return Received.timedOut();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        Holder.C.close(fd);
      } catch (LastErrorException e) {
        // Nothing to do: the descriptor is gone either way.
      }
    }
  }

  private static byte[] ints(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
  }
}
