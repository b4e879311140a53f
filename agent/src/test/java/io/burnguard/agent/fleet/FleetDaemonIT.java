package io.burnguard.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.burnguard.agent.daemon.DaemonHarness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon with a fleet section ships its chain to a private PostgreSQL (issue 16): a
 * station comes back with a backlog of burns recorded while it was offline, the daemon is SIGKILLed
 * while that backlog is being shipped in batches, and after a restart the central chain is exactly
 * the station's chain: nothing lost, nothing twice, in order, verified by {@code fleet audit}; an
 * admin event the restarted daemon chains itself follows.
 */
class FleetDaemonIT {
  static final String STATION = "test-station"; // DaemonHarness's station id
  static final String ROLE = "st_daemon_it";
  static final String SEC = "sec_daemon_it";
  static PrivatePostgres pg;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    pg = PrivatePostgres.startWithReader(SEC, "burnguard_security");
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private String fleetYaml() {
    return pg.fleetYaml(ROLE, "1s");
  }

  @Test
  void aDaemonKilledWhileShippingLosesAndDuplicatesNothingAfterRestart() throws Exception {
    DaemonHarness h =
        new DaemonHarness(
            tmp, "unix:" + tmp.resolve("no-clamd.sock"), "  root: engineer\n", null, "");
    try (h) {
      long backlog;
      // The station's ledger, written by the real ledger code while the station was offline.
      try (SimStation s = new SimStation(STATION, ROLE, h.dataDir())) {
        s.register(pg);
        for (int i = 0; i < 1500; i++) {
          s.burn("SN-DAEMON-" + i, "ipc-x1-main", "5.4.1");
        }
        backlog = s.chainLength();
      }
      h.writeConfig("  root: engineer\n", null, fleetYaml());
      h.start();
      assertTrue(
          DaemonHarness.waitFor(Duration.ofSeconds(120), () -> stored() > 0),
          "the daemon did not ship anything:\n" + output(h));
      long atKill = stored();
      h.process().destroyForcibly(); // SIGKILL
      assertTrue(h.process().waitFor(30, TimeUnit.SECONDS));
      assertTrue(atKill < backlog, "killed after " + atKill + " of " + backlog + " entries");

      h.start();
      assertTrue(
          DaemonHarness.waitFor(Duration.ofSeconds(180), () -> stored() >= backlog),
          "the restarted daemon did not catch up: " + stored() + " of " + backlog);
      // An admin event the restarted daemon chains itself is shipped too.
      DaemonHarness.Run reload = h.cli("config", "reload");
      assertTrue(reload.exit() == 0, reload.toString());
      assertTrue(
          DaemonHarness.waitFor(Duration.ofSeconds(60), () -> stored() > backlog),
          "the reload the daemon chained was not shipped:\n" + output(h));
      assertEquals(0, h.stop());

      assertContiguous(stored());
      JsonNode audit =
          FleetCli.run(pg, SEC, "fleet", "audit", "--station", STATION, "--json").okJson();
      assertEquals("OK", audit.get(0).path("result").asText(), audit.toString());
      assertEquals(stored(), audit.get(0).path("verifiedSeq").asLong());
    }
  }

  private static String output(DaemonHarness h) {
    try {
      return h.daemonOutput();
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  /** Entries of the station stored centrally (0 when PostgreSQL cannot be read). */
  private static long stored() {
    return pg.stored(STATION);
  }

  private static void assertContiguous(long n) throws Exception {
    try (Connection c = pg.admin();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM fleet_entries"
                    + " WHERE station_id = ?")) {
      q.setString(1, STATION);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        assertEquals(n, rs.getLong(1));
        assertEquals(n, rs.getLong(2), "no sequence stored twice");
        assertEquals(1, rs.getLong(3));
        assertEquals(n, rs.getLong(4), "no gap");
      }
    }
  }
}
