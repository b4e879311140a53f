package io.burnguard.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.audit.AuditEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shipping to a real, private PostgreSQL over TLS with client certificates (issue 16). */
class FleetShippingIT {
  static PrivatePostgres pg;
  @TempDir Path tmp;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = PrivatePostgres.start();
    try (Connection c = pg.admin()) {
      assertEquals(FleetSchema.MIGRATIONS.size(), FleetSchema.migrate(c));
      assertEquals(
          FleetSchema.MIGRATIONS.size(), FleetSchema.migrate(c), "a second init-db is a no-op");
    }
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private SimStation station(String id) throws Exception {
    SimStation s = new SimStation(id, "st_" + id.replace('-', '_'), tmp.resolve(id));
    s.register(pg);
    return s;
  }

  static List<long[]> shipped(String station) throws SQLException {
    List<long[]> out = new ArrayList<>();
    try (Connection c = pg.admin();
        PreparedStatement q =
            c.prepareStatement("SELECT seq FROM fleet_entries WHERE station_id = ? ORDER BY seq")) {
      q.setString(1, station);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(new long[] {rs.getLong(1)});
        }
      }
    }
    return out;
  }

  static void assertContiguous(String station, long length) throws SQLException {
    List<long[]> seqs = shipped(station);
    assertEquals(length, seqs.size(), "entries of " + station + " centrally");
    for (int i = 0; i < seqs.size(); i++) {
      assertEquals(i + 1, seqs.get(i)[0], "entry order of " + station);
    }
  }

  static long openFlags(String station) throws SQLException {
    try (Connection c = pg.admin();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT count(*) FROM fleet_flags WHERE station_id = ? AND acknowledged_at IS NULL")) {
      q.setString(1, station);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void shipsInBatchesAndAnIdempotentRetryNeverDuplicates() throws Exception {
    try (SimStation s = station("retry-1")) {
      for (int i = 0; i < 20; i++) {
        s.burn("SN-R" + i, "ipc-x1-main", "5.4.1");
      }
      FleetShipper shipper = s.shipper(pg, 7, Duration.ofMinutes(1));
      long n = s.chainLength();
      assertEquals(n, shipper.shipOnce());
      assertContiguous(s.id, n);
      // A crash after the commit but before recording it: the whole chain is sent again.
      AuditEntry first = firstEntry(s);
      s.db.write(c -> Outbox.markShipped(c, first, java.time.Instant.now()));
      assertEquals(n - 1, shipper.shipOnce());
      assertContiguous(s.id, n);
      assertEquals(0, openFlags(s.id));
      assertEquals(0, shipper.shipOnce(), "nothing left to ship");
    }
  }

  private static AuditEntry firstEntry(SimStation s) throws Exception {
    return s.db.read(c -> Outbox.batch(c, 0, 1)).get(0);
  }

  @Test
  void resumesAfterTheDatabaseWasDownNothingLostOrDuplicated() throws Exception {
    try (SimStation s = station("resume-1")) {
      FleetShipper shipper = s.shipper(pg, 100, Duration.ofMinutes(1));
      s.burn("SN-A", "ipc-x1-main", "5.4.1");
      shipper.shipOnce();
      pg.stopImmediately();
      try {
        for (int i = 0; i < 1000; i++) { // issue 16: offline for 1000 burns
          s.burn("SN-OFF" + i, "ipc-x1-main", "5.4.1");
        }
        assertThrows(SQLException.class, shipper::shipOnce);
      } finally {
        pg.startServer();
      }
      shipper.shipOnce();
      assertContiguous(s.id, s.chainLength());
      assertEquals(0, FleetLag.of(s.db, java.time.Clock.systemUTC()).unshipped());
    }
  }

  @Test
  void aStationMayInsertOnlyItsOwnRowsAndNeverUpdateOrDelete() throws Exception {
    try (SimStation a = station("rls-a");
        SimStation b = station("rls-b")) {
      a.alert("one");
      a.shipper(pg, 10, Duration.ofMinutes(1)).shipOnce();
      AuditEntry e = firstEntry(a);
      try (Connection c = pg.as(a.role).open()) {
        SQLException other =
            assertThrows(SQLException.class, () -> CentralLedger.ship(c, b.id, List.of(e)));
        assertTrue(other.getMessage().contains("row-level security"), other.getMessage());
        try (Statement st = c.createStatement()) {
          SQLException up =
              assertThrows(
                  SQLException.class,
                  () -> st.executeUpdate("UPDATE fleet_entries SET kind = 'x'"));
          assertTrue(up.getMessage().contains("permission denied"), up.getMessage());
          SQLException del =
              assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM fleet_entries"));
          assertTrue(del.getMessage().contains("permission denied"), del.getMessage());
        }
      }
      try (Connection owner = pg.admin();
          Statement st = owner.createStatement()) {
        SQLException up =
            assertThrows(
                SQLException.class,
                () ->
                    st.executeUpdate(
                        "UPDATE fleet_entries SET kind = 'x' WHERE station_id = 'rls-a'"));
        assertTrue(up.getMessage().contains("append-only"), up.getMessage());
      }
      assertEquals(0, shipped(b.id).size());
    }
  }

  @Test
  void aRolledBackStationIsFlaggedAndRefusedUntilAcknowledged() throws Exception {
    try (SimStation s = station("rollback-1")) {
      for (int i = 0; i < 3; i++) {
        s.burn("SN-B" + i, "ipc-x1-main", "5.4.1");
      }
      s.shipper(pg, 50, Duration.ofMinutes(1)).shipOnce();
      s.close();
      Path backup = tmp.resolve("backup");
      Files.createDirectories(backup);
      copyDb(s.dir, backup);
      s.open();
      for (int i = 3; i < 6; i++) {
        s.burn("SN-B" + i, "ipc-x1-main", "5.4.1");
      }
      s.shipper(pg, 50, Duration.ofMinutes(1)).shipOnce();
      long central = shipped(s.id).size();
      s.close();
      copyDb(backup, s.dir); // the older copy replaces the database
      s.open();
      s.burn("SN-NEW", "ipc-x1-main", "5.4.1");
      FleetRefused refused =
          assertThrows(FleetRefused.class, s.shipper(pg, 50, Duration.ofMinutes(1))::shipOnce);
      assertTrue(refused.getMessage().contains("flagged"), refused.getMessage());
      assertTrue(openFlags(s.id) >= 1, "the station is flagged");
      assertEquals(central, shipped(s.id).size(), "nothing of the replaced chain was stored");

      // A valid-looking extension of the stored chain is refused while the flag is open ...
      AuditEntry next = extension(s.id, central);
      try (Connection c = pg.as(s.role).open()) {
        assertThrows(FleetRefused.class, () -> CentralLedger.ship(c, s.id, List.of(next)));
      }
      assertEquals(central, shipped(s.id).size());
      // ... and accepted once security acknowledged.
      String security = "sec_" + s.role;
      pg.makeClient(security);
      try (Connection c = pg.admin();
          Statement st = c.createStatement()) {
        st.execute("CREATE ROLE " + security + " LOGIN IN ROLE burnguard_security");
      }
      try (Connection c = pg.as(security).open()) {
        assertTrue(FleetSchema.acknowledge(c, s.id) >= 1);
      }
      try (Connection c = pg.as(s.role).open()) {
        CentralLedger.ship(c, s.id, List.of(next));
      }
      assertEquals(central + 1, shipped(s.id).size());
    }
  }

  private static void copyDb(Path from, Path to) throws Exception {
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().startsWith("burnguard.db")) {
          Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** An entry linking to the stored entry {@code seq} (content need not be signed validly). */
  private static AuditEntry extension(String station, long seq) throws SQLException {
    try (Connection c = pg.admin();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT entry_hash FROM fleet_entries WHERE station_id = ? AND seq = ?")) {
      q.setString(1, station);
      q.setLong(2, seq);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        String prev = rs.getString(1);
        return new AuditEntry(
            seq + 1,
            "2026-11-30T00:00:00.000Z",
            "test",
            "test/1",
            "{}",
            "00".repeat(32),
            prev,
            "11".repeat(32),
            "22".repeat(64));
      }
    }
  }

  @Test
  void burnsAreNotSlowedWhilePostgresIsDownAndTheShipperCatchesUpLater() throws Exception {
    try (SimStation s = station("latency-1")) {
      s.burn("SN-WARM", "ipc-x1-main", "5.4.1");
      long alone = medianBurnNanos(s, "SN-L0-", 60);
      FleetShipper shipper = s.shipper(pg, 50, Duration.ofMillis(100));
      long during;
      pg.stopImmediately();
      try {
        shipper.begin();
        during = medianBurnNanos(s, "SN-L1-", 60);
      } finally {
        pg.startServer();
      }
      // A burn that waited on the network would take seconds (connect timeout); allow noise.
      assertTrue(
          during < alone * 3 + 20_000_000L,
          "median burn " + during / 1000 + " us with PostgreSQL down vs " + alone / 1000 + " us");
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (FleetLag.of(s.db, java.time.Clock.systemUTC()).unshipped() > 0
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      shipper.close();
      assertContiguous(s.id, s.chainLength());
    }
  }

  private static long medianBurnNanos(SimStation s, String prefix, int n) throws Exception {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      s.burn(prefix + i, "ipc-x1-main", "5.4.1");
      t[i] = System.nanoTime() - t0;
    }
    java.util.Arrays.sort(t);
    return t[n / 2];
  }
}
