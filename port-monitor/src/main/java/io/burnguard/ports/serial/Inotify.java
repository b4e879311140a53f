package io.burnguard.ports.serial;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The inotify calls the serial watcher needs, through JNA; return values decide. */
final class Inotify implements AutoCloseable {
  static final int IN_OPEN = 0x20;
  private static final int IN_NONBLOCK = 0x800;
  private static final int IN_CLOEXEC = 0x80000;
  private static final short POLLIN = 1;

  interface LibC extends Library {
    int inotify_init1(int flags);

    int inotify_add_watch(int fd, String path, int mask);

    int poll(byte[] fds, long nfds, int timeout);

    long read(int fd, byte[] buf, long count);

    int close(int fd);
  }

  private static final class Holder {
    static final LibC C = Native.load("c", LibC.class);
  }

  private final int fd;
  private final byte[] buffer = new byte[4096];

  private Inotify(int fd) {
    this.fd = fd;
  }

  static Inotify open() throws IOException {
    int fd = Holder.C.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
      throw new IOException("inotify_init1 failed: errno " + Native.getLastError());
    }
    return new Inotify(fd);
  }

  /** Watches {@code path} for opens; returns the watch descriptor. */
  int watchOpens(String path) throws IOException {
    int wd = Holder.C.inotify_add_watch(fd, path, IN_OPEN);
    if (wd < 0) {
      throw new IOException(
          "cannot watch " + path + " with inotify: errno " + Native.getLastError());
    }
    return wd;
  }

  /**
   * Waits up to {@code timeoutMillis} and returns the watch descriptors that saw an open (possibly
   * repeated), or an empty array on timeout.
   */
  int[] await(int timeoutMillis) throws IOException {
    ByteBuffer pfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
    pfd.putInt(fd).putShort(POLLIN).putShort((short) 0);
    int ready = Holder.C.poll(pfd.array(), 1, timeoutMillis);
    if (ready <= 0) {
      return new int[0];
    }
    long n = Holder.C.read(fd, buffer, buffer.length);
    if (n <= 0) {
      return new int[0];
    }
    ByteBuffer b = ByteBuffer.wrap(buffer, 0, (int) n).order(ByteOrder.nativeOrder());
    int[] wds = new int[(int) n / 16];
    int count = 0;
    while (b.remaining() >= 16) {
      int wd = b.getInt();
      b.getInt(); // mask
      b.getInt(); // cookie
      int len = b.getInt();
      wds[count++] = wd;
      b.position(Math.min(b.limit(), b.position() + len));
    }
    return java.util.Arrays.copyOf(wds, count);
  }

  @Override
  public void close() {
    Holder.C.close(fd);
  }
}
