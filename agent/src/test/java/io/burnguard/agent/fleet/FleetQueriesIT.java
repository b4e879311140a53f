package io.burnguard.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.burnguard.agent.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    pg = PrivatePostgres.start();
    try (Connection c = pg.admin();
        Statement st = c.createStatement()) {
      FleetSchema.migrate(c);
      st.execute("CREATE ROLE " + QA + " LOGIN IN ROLE burnguard_reader");
    }
    pg.makeClient(QA);
    for (int n = 1; n <= 3; n++) {
      try (SimStation s = new SimStation("line1-st0" + n, "st_line1_0" + n, tmp.resolve("s" + n))) {
        s.register(pg);
        for (int i = 0; i < 5; i++) {
          s.burn("SN-Q" + n + "-" + i, "ipc-x1-main", "5.4.1");
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

  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--url", pg.url(),
            "--role", QA,
            "--cert", pg.certs.resolve(QA + ".pem").toString(),
            "--key", pg.certs.resolve(QA + ".pk8").toString(),
            "--ca", pg.certs.resolve("ca.pem").toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new Run(exit, out.toString(), err.toString());
  }

  private static JsonNode json(Run r) throws Exception {
    assertEquals(0, r.exit(), r.err());
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void traceFindsABarcodeOnEveryStationNewestFirst() throws Exception {
    JsonNode rows = json(cli("fleet", "trace", "SN-SHARED", "--json"));
    assertEquals(2, rows.size(), rows.toString());
    assertEquals("line1-st03", rows.get(0).path("station").asText());
    assertEquals("5.4.2", rows.get(0).path("firmware_version").asText());
    assertEquals("line1-st01", rows.get(1).path("station").asText());
    assertEquals("PASSED", rows.get(1).path("outcome").asText());
    Run table = cli("fleet", "trace", "SN-Q2-3");
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
    Run ack = cli("fleet", "ack", "line1-st01");
    assertEquals(3, ack.exit(), ack.out() + ack.err());
    assertTrue(ack.err().contains("permission denied"), ack.err());
  }
}
