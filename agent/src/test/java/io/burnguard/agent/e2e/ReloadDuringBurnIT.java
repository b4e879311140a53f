package io.burnguard.agent.e2e;

import static io.burnguard.agent.e2e.E2EStation.barcode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.control.Wire;
import io.burnguard.agent.daemon.DaemonHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config reload (SIGHUP) while a burn runs on a real QEMU board: the running burn keeps its
 * settings, the next one takes the new ones. On a station of its own: inside BurnE2EIT, after the
 * tests that restart the daemon, the reload was once not seen within 30 s (under investigation,
 * docs/decisions.md).
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
   * SIGHUP rather than the CLI (ConfigReloadIT covers {@code config reload}): it reloads within
   * milliseconds of the burn being seen STARTED in the database, so the reload lands inside the
   * burn on any machine; the test still checks that it did.
   */
  @Disabled(
      "issue 13 follow-up: on a clean CI run the SIGHUP sent while the burn runs is not seen within"
          + " 30 s (no reload logged); passes when run alone. ConfigReloadIT covers SIGHUP and"
          + " BurnPipelineReloadTest the per-burn settings until this is explained.")
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
      kill(s.h.process().pid(), "HUP");
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

      DaemonHarness.Run next = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(1501));
      assertEquals(4, next.exit(), "the next burn reads back 16 bytes: " + next);
      assertTrue(next.out().contains("FAIL"), next.toString());
    } finally {
      p.destroyForcibly();
      s.h.writeConfig(E2EStation.ROLES, E2EStation.SOCKET_GROUP, s.fixtures());
      s.h.cli("config", "reload");
    }
  }

  /** The newest burn's outcome for {@code barcode}, read from the database, or null. */
  private static void kill(long pid, String signal) {
    BurnE2EIT.kill(pid, signal);
  }
}
