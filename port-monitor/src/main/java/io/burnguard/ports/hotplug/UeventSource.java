package io.burnguard.ports.hotplug;

import java.io.IOException;

/** Where raw uevent messages come from: the kernel's netlink socket, or a test's queue. */
interface UeventSource extends AutoCloseable {

  /**
   * One receive.
   *
   * @param data the message bytes (valid up to {@code length})
   * @param length the message's full length (may exceed {@code data.length} when truncated)
   * @param senderPid the sender's netlink port id; 0 is the kernel
   * @param overflow true when the kernel dropped messages (ENOBUFS): the caller must rescan
   * @param timeout true when nothing arrived within the receive timeout
   */
  record Received(byte[] data, int length, int senderPid, boolean overflow, boolean timeout) {
    static Received timedOut() {
      return new Received(new byte[0], 0, 0, false, true);
    }

    static Received overflowed() {
      return new Received(new byte[0], 0, 0, true, false);
    }
  }

  Received receive() throws IOException;

  @Override
  void close();
}
