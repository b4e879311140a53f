package io.burnguard.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three stations ship; QA queries the fleet with the CLI as a read-only role (issue 16). */
class FleetQueriesIT {
  static PrivatePostgres pg;
  static final String QA = "qa_alice";
  @TempDir static Path tmp;

  @BeforeAll
  static void shipThreeStations() throws Exception {
    pg = PrivatePostgres.startWithReader(QA, "burnguard_reader");
    for (int n = 1; n <= 3; n++) {
      try (SimStation s = new SimStation("line1-st0" + n, "st_line1_0" + n, tmp.resolve("s" + n))) {
        s.register(pg);
        for (int i = 0; i < 5; i++) {
          s.burn("SN-Q" + n + "-" + i, "ipc-x1-main", "5.4.1");
        }
        if (n == 3) {
          s.alert("station 3: cabinet door opened");
        }
        if (n != 2) {
          s.burn("SN-SHARED", "ipc-x1-main", n == 1 ? "5.4.1" : "5.4.2");
        }
        s.shipper(pg, 4, Duration.ofMinutes(1)).shipOnce();
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private static FleetCli.Run cli(String... args) {
    return FleetCli.run(pg, QA, args);
  }

  private static JsonNode json(FleetCli.Run r) throws Exception {
    return r.okJson();
  }

  @Test
  void traceFindsABarcodeOnEveryStationNewestFirst() throws Exception {
    JsonNode rows = json(cli("fleet", "trace", "SN-SHARED", "--json"));
    assertEquals(2, rows.size(), rows.toString());
    assertEquals("line1-st03", rows.get(0).path("station").asText());
    assertEquals("5.4.2", rows.get(0).path("firmware_version").asText());
    assertEquals("line1-st01", rows.get(1).path("station").asText());
    assertEquals("PASSED", rows.get(1).path("outcome").asText());
    FleetCli.Run table = cli("fleet", "trace", "SN-Q2-3");
    assertEquals(0, table.exit(), table.err());
    assertTrue(table.out().contains("line1-st02") && table.out().contains("SN-Q2-3"), table.out());
  }

  @Test
  void unitsIsTheRecallAcrossStations() throws Exception {
    assertEquals(17, json(cli("fleet", "units", "--firmware", "ipc-x1-main", "--json")).size());
    JsonNode v541 =
        json(cli("fleet", "units", "--firmware", "ipc-x1-main", "--version", "5.4.1", "--json"));
    assertEquals(16, v541.size(), v541.toString());
    for (JsonNode r : v541) {
      assertEquals("5.4.1", r.path("firmware_version").asText());
    }
    assertEquals(0, json(cli("fleet", "units", "--firmware", "other", "--json")).size());
    JsonNode one =
        json(
            cli(
                "fleet",
                "units",
                "--firmware",
                "ipc-x1-main",
                "--station",
                "line1-st02",
                "--json"));
    assertEquals(5, one.size(), one.toString());
    assertEquals(
        0,
        json(cli("fleet", "units", "--firmware", "ipc-x1-main", "--since", "2999-01-01", "--json"))
            .size());
    assertEquals(
        17,
        json(cli("fleet", "units", "--firmware", "ipc-x1-main", "--since", "2020-01-01", "--json"))
            .size());
  }

  @Test
  void unitsAsCsvHasAHeaderAndOneLinePerUnitOrderedByBarcode() {
    FleetCli.Run r =
        cli("fleet", "units", "--firmware", "ipc-x1-main", "--version", "5.4.1", "--csv");
    assertEquals(0, r.exit(), r.err());
    String[] lines = r.out().split("\r\n");
    assertEquals(17, lines.length, r.out());
    assertTrue(lines[0].startsWith("station,chainSeq,ref,barcode,model,"), lines[0]);
    assertTrue(lines[1].contains(",SN-Q1-0,"), lines[1]);
    assertTrue(lines[16].contains(",SN-SHARED,") && lines[16].contains(",PASSED,"), lines[16]);
  }

  @Test
  void fleetConnectionsRunWithoutJitOrParallelWorkersAndTheKeysHaveStatistics() throws Exception {
    try (Connection c = pg.as(QA).open();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT current_setting('jit'), current_setting('max_parallel_workers_per_gather'),"
                    + " (SELECT count(*) FROM pg_statistic_ext WHERE stxname IN"
                    + " ('fleet_entries_barcode_stats', 'fleet_entries_firmware_stats'))")) {
      rs.next();
      assertEquals("off", rs.getString(1));
      assertEquals("0", rs.getString(2));
      assertEquals(2, rs.getInt(3));
    }
  }

  @Test
  void recallFindsLatestEntriesByTheCoveringIndexWithoutSortingThem() throws Exception {
    try (Connection c = pg.admin();
        Statement st = c.createStatement()) {
      st.execute("VACUUM ANALYZE fleet_entries"); // all-visible, as an older table is
    }
    // The test table is tiny, so the planner would read it whole; the point is that the recall's
    // statement matches the index (expressions, order), so PostgreSQL can use it on a big one.
    FleetQueries.Query q = FleetQueries.unitsQuery(new UnitFilter("ipc-x1-main", null, null, null));
    StringBuilder plan = new StringBuilder();
    try (Connection c = pg.as(QA).open();
        Statement st = c.createStatement()) {
      st.execute("SET enable_seqscan = off");
      st.execute("SET enable_bitmapscan = off");
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + q.sql())) {
        for (int i = 0; i < q.args().size(); i++) {
          ps.setString(i + 1, q.args().get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
      }
    }
    String p = plan.toString();
    assertTrue(p.contains("Index Only Scan using fleet_entries_recall"), p);
    assertEquals(1, p.split("Sort Key", -1).length - 1, "only the sort by barcode:\n" + p);
    assertTrue(p.contains("Sort Key: d.barcode"), p);
    assertFalse(p.contains("fleet_entries_pkey"), "no payload is fetched (schema V4):\n" + p);
  }

  @Test
  void alertsOfEveryStationWithFilters() throws Exception {
    JsonNode all = json(cli("fleet", "alerts", "--json"));
    assertEquals(1, all.size(), all.toString());
    assertEquals("line1-st03", all.get(0).path("station").asText());
    assertEquals("INFO", all.get(0).path("severity").asText());
    assertEquals("station 3: cabinet door opened", all.get(0).path("message").asText());
    assertEquals(0, json(cli("fleet", "alerts", "--station", "line1-st01", "--json")).size());
    assertEquals(0, json(cli("fleet", "alerts", "--severity", "critical", "--json")).size());
    assertEquals(1, json(cli("fleet", "alerts", "--open", "--json")).size());
    FleetCli.Run csv = cli("fleet", "alerts", "--csv");
    assertTrue(csv.out().contains("cabinet door opened"), csv.out());
  }

  @Test
  void statusShowsEveryStationUnflaggedAndTheReaderCannotWrite() throws Exception {
    JsonNode rows = json(cli("fleet", "status", "--json"));
    assertEquals(3, rows.size(), rows.toString());
    for (JsonNode r : rows) {
      assertEquals(false, r.path("flagged").asBoolean());
      assertEquals(r.path("headSeq").asLong(), r.path("shippedSeq").asLong(), r.toString());
      assertTrue(r.path("shippedSeq").asLong() > 10, r.toString());
    }
    FleetCli.Run ack = cli("fleet", "ack", "line1-st01");
    assertEquals(3, ack.exit(), ack.out() + ack.err());
    assertTrue(ack.err().contains("permission denied"), ack.err());
  }
}
