package io.burnguard.agent.e2e;

import static io.burnguard.agent.e2e.E2EStation.barcode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.control.Wire;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.daemon.HangupCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config reload (SIGHUP) while a burn runs on a real QEMU board: the running burn keeps its
 * settings, the next one takes the new ones.
 *
 * <p>Regression (issue 13 follow-up): the serial library set SIGHUP to SIG_IGN when a burn first
 * opened a console, so a SIGHUP sent after that was dropped; whether the old test saw the reload
 * depended on the SIGHUP beating the console open. The SIGHUP is now sent once the daemon holds the
 * console open (docs/decisions.md, "Config reload").
 */
class ReloadDuringBurnIT {
  @TempDir static Path tmp;
  static E2EStation s;

  @BeforeAll
  static void station() throws Exception {
    s = new E2EStation(tmp);
    s.reset(false);
  }

  @AfterAll
  static void teardown() throws Exception {
    if (s != null) {
      s.close();
    }
  }

  /**
   * SIGHUP rather than the CLI (ConfigReloadIT covers {@code config reload}), sent once the burn is
   * STARTED in the database and the daemon holds the board's console open, so the reload lands
   * inside the burn, after the serial library loaded; the test still checks that it did.
   */
  @Test
  void aBurnRunningDuringAConfigReloadKeepsItsSettingsAndTheNextBurnTakesTheNewOnes()
      throws Exception {
    byte[] image = s.fetchedRelease("e2e-reload", 6 << 20, 15);
    s.openOrder("WO-RELOAD", "e2e-reload", 5);
    // The reloaded model reads back only 16 bytes: a burn with it cannot match the image.
    String reloaded =
        s.fixtures().replace("crc32 ${readaddr} ${size_hex}", "crc32 ${readaddr} 0x10");
    Process p = s.h.startCliAs("nobody", "burn", "--fixture", "fx1", "--barcode", barcode(1500));
    try {
      assertTrue(
          DaemonHarness.waitFor(
              Duration.ofSeconds(90), () -> "STARTED".equals(s.outcomeOf(barcode(1500)))),
          "burn reached STARTED");
      s.h.writeConfig(E2EStation.ROLES, E2EStation.SOCKET_GROUP, reloaded);
      long pid = s.h.process().pid();
      // The console is open, so the serial library is loaded: loading it used to set SIGHUP to
      // SIG_IGN, and every SIGHUP from the first burn on was dropped (HangupSignal).
      assertTrue(
          DaemonHarness.waitFor(Duration.ofSeconds(60), () -> holds(pid, s.board1.serialPath())),
          "the daemon opened fx1's console " + s.board1.serialPath());
      assertEquals(
          Optional.of(true),
          HangupCheck.caught(Path.of("/proc/" + pid + "/status")),
          "the daemon catches SIGHUP with the serial library loaded");
      assertEquals("STARTED", s.outcomeOf(barcode(1500)), "the burn still runs at the SIGHUP");
      kill(pid, "HUP");
      assertTrue(
          DaemonHarness.waitFor(
              Duration.ofSeconds(30), () -> s.adminEvent("CONFIG_RELOAD") != null),
          "SIGHUP reloaded: " + s.h.daemonOutput());
      String[] reload = s.adminEvent("CONFIG_RELOAD");
      assertTrue(reload[1].contains("models.IPC-X1 changed"), reload[1]);

      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the running burn ends");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out + s.h.daemonOutput());
      assertTrue(out.contains("PASS  " + barcode(1500)), out);
      assertArrayEquals(image, s.board1.flashBytes(0, image.length), "flash equals the image");
      var burn =
          Wire.mapper()
              .readTree(s.operator("trace", barcode(1500), "--json").out())
              .path("burns")
              .get(0);
      assertTrue(
          java.time.Instant.parse(burn.path("endedAt").asText())
              .isAfter(java.time.Instant.parse(reload[0])),
          "the reload (" + reload[0] + ") happened while the burn ran: " + burn);

      assertEquals(
          Optional.of(true),
          HangupCheck.caught(Path.of("/proc/" + s.h.process().pid() + "/status")),
          "SIGHUP is still caught after the burn");
      DaemonHarness.Run next = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(1501));
      assertEquals(4, next.exit(), "the next burn reads back 16 bytes: " + next);
      assertTrue(next.out().contains("FAIL"), next.toString());
    } finally {
      p.destroyForcibly();
      s.h.writeConfig(E2EStation.ROLES, E2EStation.SOCKET_GROUP, s.fixtures());
      s.h.cli("config", "reload");
    }
  }

  /** Whether process {@code pid} has {@code device} open (one of its fds links to it). */
  private static boolean holds(long pid, String device) {
    try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      Path dev = Path.of(device).toRealPath();
      return fds.anyMatch(
          fd -> {
            try {
              return Files.readSymbolicLink(fd).equals(dev);
            } catch (IOException e) {
              return false; // closed meanwhile
            }
          });
    } catch (IOException e) {
      return false;
    }
  }

  private static void kill(long pid, String signal) {
    BurnE2EIT.kill(pid, signal);
  }
}
