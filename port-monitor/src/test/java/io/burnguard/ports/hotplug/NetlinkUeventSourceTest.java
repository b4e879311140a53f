package io.burnguard.ports.hotplug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The real kernel socket: it opens, binds, times out when nothing happens, and receives (recvmsg) a
 * uevent the kernel sends from port id 0.
 */
class NetlinkUeventSourceTest {
  @Test
  void opensBindsAndTimesOut() throws Exception {
    try (NetlinkUeventSource s = NetlinkUeventSource.open(100)) {
      long t0 = System.nanoTime();
      UeventSource.Received r = s.receive();
      // A real uevent may arrive on a busy machine; it must then come from the kernel.
      if (!r.timeout()) {
        assertFalse(r.overflow());
        assertTrue(r.senderPid() == 0 || r.length() > 0, r.toString());
      } else {
        assertTrue(System.nanoTime() - t0 >= 50_000_000L, "timed out too early");
      }
    }
  }

  /** Writing {@code change} to a device's uevent attribute makes the kernel send a uevent. */
  @Test
  void receivesAKernelUeventFromPortIdZero() throws Exception {
    Path trigger = Path.of("/sys/devices/virtual/mem/null/uevent");
    assumeTrue(Files.isWritable(trigger), "needs root to trigger a uevent through " + trigger);
    try (NetlinkUeventSource s = NetlinkUeventSource.open(200)) {
      Files.writeString(trigger, "change");
      long deadline = System.nanoTime() + 5_000_000_000L;
      Uevent seen = null;
      while (seen == null && System.nanoTime() < deadline) {
        UeventSource.Received r = s.receive();
        if (!r.timeout() && !r.overflow() && r.senderPid() == 0) {
          Uevent e = UeventParser.parse(r.data(), r.length());
          seen = e.devpath().equals("/devices/virtual/mem/null") ? e : null;
        }
      }
      assertNotNull(seen, "no uevent for /devices/virtual/mem/null within 5 s");
      assertEquals("change", seen.action());
      assertEquals("mem", seen.subsystem());
    }
  }
}
