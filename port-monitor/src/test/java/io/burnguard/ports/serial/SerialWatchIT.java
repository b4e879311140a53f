package io.burnguard.ports.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.ports.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fixture's port is one end of a socat pty pair; a foreign {@code cat} or python process opening
 * it is reported with its PID, command line and user. (socat itself holds the pty's slave, so it is
 * reported too, at start.)
 */
class SerialWatchIT {
  @TempDir Path tmp;
  private Process socat;
  private Process foreign;

  record Use(String name, Path device, List<PortUser> users, boolean atStart) {}

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : new Process[] {foreign, socat}) {
      if (p != null) {
        p.destroy();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private Path ptyPair() throws Exception {
    Path port = tmp.resolve("fx1");
    socat =
        new ProcessBuilder(
                Tools.require("socat", "socat"),
                "pty,raw,echo=0,link=" + port,
                "pty,raw,echo=0,link=" + tmp.resolve("peer"))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("socat.out").toFile())
            .start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!(Files.exists(port) && Files.exists(tmp.resolve("peer")))) {
      assertTrue(System.nanoTime() < end && socat.isAlive(), "socat did not make the pty pair");
      Thread.sleep(20);
    }
    return port;
  }

  private static Use awaitUse(BlockingQueue<Use> uses, long pid) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      Use u = uses.poll(200, TimeUnit.MILLISECONDS);
      if (u != null && u.users().stream().anyMatch(x -> x.pid() == pid)) {
        return u;
      }
    }
    return null;
  }

  @Test
  void aForeignCatIsNamedWithPidCommandAndUser() throws Exception {
    Path port = ptyPair();
    BlockingQueue<Use> uses = new LinkedBlockingQueue<>();
    try (SerialWatch w =
        SerialWatch.start(
            Map.of("fx1", port), Path.of("/proc"), (n, d, u, s) -> uses.add(new Use(n, d, u, s)))) {
      // socat keeps the pty's slave open itself, so it is the one user at start.
      Use atStart = uses.poll(5, TimeUnit.SECONDS);
      assertNotNull(atStart, "socat's hold on the port was not reported at start");
      assertEquals(List.of(socat.pid()), atStart.users().stream().map(PortUser::pid).toList());
      assertTrue(atStart.atStart());
      foreign = new ProcessBuilder("cat", port.toString()).start();
      Use u = awaitUse(uses, foreign.pid());
      assertNotNull(u, "cat's open was not reported");
      assertEquals("fx1", u.name());
      assertEquals(false, u.atStart());
      assertEquals(List.of(foreign.pid()), u.users().stream().map(PortUser::pid).toList());
      assertEquals(port.toRealPath(), u.device());
      PortUser cat = u.users().stream().filter(x -> x.pid() == foreign.pid()).findFirst().get();
      assertEquals("cat " + port, cat.command());
      assertEquals(System.getProperty("user.name"), cat.user());
    }
  }

  @Test
  void aProcessHoldingThePortBeforeWatchingIsReportedAtStart() throws Exception {
    Path port = ptyPair();
    foreign =
        new ProcessBuilder(
                "python3", "-c", "import time; f = open('" + port + "', 'rb'); time.sleep(60)")
            .start();
    ProcScan scan = new ProcScan(Path.of("/proc"));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (scan.openers(port.toRealPath()).stream().noneMatch(x -> x.pid() == foreign.pid())) {
      assertTrue(System.nanoTime() < end, "python did not open the port");
      Thread.sleep(20);
    }
    BlockingQueue<Use> uses = new LinkedBlockingQueue<>();
    try (SerialWatch w =
        SerialWatch.start(
            Map.of("fx1", port), Path.of("/proc"), (n, d, u, s) -> uses.add(new Use(n, d, u, s)))) {
      Use u = awaitUse(uses, foreign.pid());
      assertNotNull(u);
      assertTrue(
          u.users().stream().anyMatch(x -> x.command().contains("python3 -c import time")),
          u.toString());
    }
  }
}
