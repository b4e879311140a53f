package io.burnguard.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Hostile or absent listeners: each refuses with its own reason within the timeouts. */
class ClamdClientFaultTest {
  private static final Duration READ = Duration.ofMillis(300);

  private static ClamdClient client(ClamdAddress a) {
    return new ClamdClient(
        ClamdSettings.of(a).withTimeouts(Duration.ofMillis(500), READ, Duration.ofSeconds(5)));
  }

  private static ScanException.Reason reasonOf(Executable call) {
    return assertThrows(ScanException.class, call::run).reason();
  }

  @FunctionalInterface
  interface Executable {
    void run() throws Throwable;
  }

  private static void assertWithin(Duration limit, Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < limit.toMillis(), "took " + ms + " ms, limit " + limit.toMillis());
  }

  @Test
  void silentListenerTimesOutOnPingUnixAndTcp() throws Exception {
    for (FakeClamd fake :
        new FakeClamd[] {
          FakeClamd.unix(FakeClamd.Behavior.SILENT), FakeClamd.tcp(FakeClamd.Behavior.SILENT)
        }) {
      try (fake) {
        assertWithin(
            Duration.ofSeconds(2),
            () ->
                assertEquals(
                    ScanException.Reason.TIMEOUT, reasonOf(() -> client(fake.address()).ping())));
      }
    }
  }

  @Test
  void silentListenerTimesOutOnALargeStream() throws Exception {
    try (FakeClamd fake = FakeClamd.unix(FakeClamd.Behavior.SILENT)) {
      // 64 MiB cannot fit in socket buffers: the write stalls and the read timeout fires.
      assertWithin(
          Duration.ofSeconds(3),
          () ->
              assertEquals(
                  ScanException.Reason.TIMEOUT,
                  reasonOf(() -> client(fake.address()).scan(TestImages.clean(64L << 20)))));
    }
  }

  @Test
  void totalTimeoutBoundsATrickle() throws Exception {
    try (FakeClamd fake = FakeClamd.tcp(FakeClamd.Behavior.SILENT)) {
      ClamdClient c =
          new ClamdClient(
              ClamdSettings.of(fake.address())
                  .withTimeouts(
                      Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofMillis(400)));
      ScanException e = assertThrows(ScanException.class, c::ping);
      assertEquals(ScanException.Reason.TIMEOUT, e.reason());
      assertTrue(e.getMessage().contains("total timeout of 400 ms"), e.getMessage());
    }
  }

  @Test
  void garbageReplyIsRefused() throws Exception {
    try (FakeClamd fake = FakeClamd.unix(FakeClamd.Behavior.GARBAGE)) {
      assertEquals(
          ScanException.Reason.GARBAGE_REPLY, reasonOf(() -> client(fake.address()).version()));
      assertEquals(
          ScanException.Reason.GARBAGE_REPLY,
          reasonOf(() -> client(fake.address()).scan(TestImages.clean(1000))));
    }
  }

  @Test
  void hangUpIsClosedEarly() throws Exception {
    try (FakeClamd fake = FakeClamd.tcp(FakeClamd.Behavior.HANG_UP)) {
      assertEquals(
          ScanException.Reason.CLOSED_EARLY, reasonOf(() -> client(fake.address()).ping()));
    }
  }

  @Test
  void nobodyListeningIsUnreachable() throws Exception {
    Path dir = Files.createTempDirectory("bg-no-clamd");
    try {
      assertEquals(
          ScanException.Reason.UNREACHABLE,
          reasonOf(() -> client(ClamdAddress.unix(dir.resolve("absent.sock"))).ping()));
      // A port held by a bound socket that does not listen: connects are refused at once, and no
      // other process can start listening on it during the test.
      try (java.net.Socket holder = new java.net.Socket()) {
        holder.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
        int port = holder.getLocalPort();
        assertEquals(
            ScanException.Reason.UNREACHABLE,
            reasonOf(() -> client(ClamdAddress.tcp("127.0.0.1", port)).ping()));
      }
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void clientSideStreamLimitRefusesBeforeSending() throws Exception {
    try (FakeClamd fake = FakeClamd.unix(FakeClamd.Behavior.SILENT)) {
      ClamdClient c =
          new ClamdClient(
              ClamdSettings.of(fake.address())
                  .withTimeouts(READ, READ, Duration.ofSeconds(5))
                  .withStreamMaxLength(1000));
      assertEquals(ScanException.Reason.SIZE_LIMIT, reasonOf(() -> c.scan(TestImages.clean(1001))));
    }
  }
}
