package io.burnguard.agent.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.PreparedStatement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitsStreamingTest {
  @TempDir java.nio.file.Path dir;

  /**
   * Inserts n STARTED rows inside SQLite (a recursive CTE), one per millisecond from 08:00. The
   * rows go in through a connection of their own, not the daemon's writer: this test measures
   * streaming, and chaining 200k rows (one signature each) would dominate it. So they are not in
   * the audit chain, as if inserted outside BurnGuard.
   */
  static void fill(LedgerFixture f, int n) throws Exception {
    try (java.sql.Connection c =
        java.sql.DriverManager.getConnection("jdbc:sqlite:" + f.db.file())) {
      {
        try (PreparedStatement p =
            c.prepareStatement(
                "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?)"
                    + " INSERT INTO burns(barcode, model, fixture, port, driver, firmware_name,"
                    + " firmware_version, firmware_sha256, signers, scan_verdict,"
                    + " clamd_db_version, operator, station_id, started_at, outcome)"
                    + " SELECT printf('SN%07d', i), 'IPC-X1', 'fx1', '/dev/ttyUSB1',"
                    + " 'uboot-serial', 'ipc-x1-main', '5.4.1', ?,"
                    + " '[\"CN=Release Signer A\",\"CN=Release Signer B\"]', 'OK',"
                    + " 'clamav-27100', 'alice', 'line3-st07',"
                    + " strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-21T08:00:00', (i / 1000.0) || '"
                    + " seconds'), 'STARTED' FROM s")) {
          p.setInt(1, n);
          p.setString(2, LedgerFixture.SHA);
          p.executeUpdate();
        }
      }
    }
  }

  @Test
  void streamsTwoHundredThousandRowsInConstantMemory() throws Exception {
    try (LedgerFixture f = new LedgerFixture(dir)) {
      fill(f, 200_000);
      MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
      System.gc();
      long before = mem.getHeapMemoryUsage().getUsed();
      long[] peak = {0};
      BurnWriter csv = BurnWriter.of(BurnWriter.Format.CSV, Writer.nullWriter());
      csv.begin();
      long[] seen = {0};
      long n =
          f.ledger.units(
              new UnitsQuery("ipc-x1-main", "5.4.1", null, null),
              r -> {
                csv.accept(r);
                if (++seen[0] % 50_000 == 0) {
                  System.gc();
                  peak[0] = Math.max(peak[0], mem.getHeapMemoryUsage().getUsed() - before);
                }
              });
      csv.end();
      assertEquals(200_000, n);
      // 200k records held in memory would take well over 100 MiB; streaming retains ~nothing.
      assertTrue(peak[0] < 16L << 20, "heap grew by " + (peak[0] >> 20) + " MiB while streaming");
    }
  }

  @Test
  void windowAndVersionFilterAndWritersQuote() throws Exception {
    try (LedgerFixture f = new LedgerFixture(dir)) {
      fill(f, 3000);
      long n =
          f.ledger.units(
              new UnitsQuery(
                  "ipc-x1-main",
                  null,
                  Instant.parse("2026-11-21T08:00:01Z"),
                  Instant.parse("2026-11-21T08:00:02Z")),
              r -> {});
      assertEquals(1000, n);
      assertEquals(0, f.ledger.units(new UnitsQuery("ipc-x1-main", "9.9", null, null), r -> {}));
      StringWriter json = new StringWriter();
      BurnWriter w = BurnWriter.of(BurnWriter.Format.JSON, json);
      w.begin();
      f.ledger.units(
          new UnitsQuery("ipc-x1-main", null, null, Instant.parse("2026-11-21T08:00:00.002Z")), w);
      w.end();
      assertTrue(
          json.toString().startsWith("[{\"id\":1,\"barcode\":\"SN0000000\""), json.toString());
      assertTrue(json.toString().contains("\"signers\":[\"CN=Release Signer A\""));
      assertEquals("\"'=HYPERLINK(\"\"x\"\")\"", BurnWriter.Csv.cell("=HYPERLINK(\"x\")"));
      assertEquals("a\\u001b[2J", BurnWriter.safe("a\u001b[2J"));
    }
  }
}
