package io.burnguard.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet audit} against a real PostgreSQL (issue 16): intact stations verify; a row edited by
 * the owner, entries cut centrally, a station database replaced by an older copy and a station
 * whose chain tail was cut are each named with the station and the sequence.
 */
class FleetAuditIT {
  static PrivatePostgres pg;
  static final String SEC = "sec_audit";
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

  private SimStation shipped(String id, int burns) throws Exception {
    SimStation s = new SimStation(id, "st_" + id.replace('-', '_'), tmp.resolve(id));
    s.register(pg);
    for (int i = 0; i < burns; i++) {
      s.burn("SN-" + id.toUpperCase() + "-" + i, "ipc-x1-main", "5.4.1");
    }
    s.shipper(pg, 4, Duration.ofMinutes(1)).shipOnce();
    return s;
  }

  private static JsonNode audit(String station, int exit) throws Exception {
    FleetCli.Run r = FleetCli.run(pg, SEC, "fleet", "audit", "--station", station, "--json");
    assertEquals(exit, r.exit(), r.out() + r.err());
    JsonNode rows = r.json();
    assertEquals(1, rows.size(), rows.toString());
    assertEquals(station, rows.get(0).path("station").asText());
    return rows.get(0);
  }

  private static void asOwner(String... sql) throws Exception {
    try (Connection c = pg.admin();
        Statement st = c.createStatement()) {
      st.execute("ALTER TABLE fleet_entries DISABLE TRIGGER fleet_entries_append_only");
      for (String s : sql) {
        st.execute(s);
      }
      st.execute("ALTER TABLE fleet_entries ENABLE TRIGGER fleet_entries_append_only");
    }
  }

  @Test
  void intactStationsVerifyFromTheFirstEntryWithTheirRegisteredKeys() throws Exception {
    try (SimStation a = shipped("audit-ok-a", 6);
        SimStation b = shipped("audit-ok-b", 3)) {
      JsonNode row = audit(a.id, 0);
      assertEquals("OK", row.path("result").asText(), row.toString());
      assertEquals(a.chainLength(), row.path("verifiedSeq").asLong());
      assertTrue(row.path("heads").asLong() >= 2, row.toString());
      FleetCli.Run all = FleetCli.run(pg, SEC, "fleet", "audit", "--station", b.id, "--csv");
      assertEquals(0, all.exit(), all.out() + all.err());
      assertTrue(all.out().startsWith("station,result,verifiedSeq,heads,seq,detail"), all.out());
      assertTrue(all.out().contains(b.id + ",OK," + b.chainLength()), all.out());
    }
  }

  @Test
  void burnKeysAlteredInPostgresAreFoundAndGeneratingThemAgainClearsTheFinding() throws Exception {
    try (SimStation s = shipped("audit-keys", 4)) {
      assertTrue(recall(s.id).contains("SN-AUDIT-KEYS-1,"));
      // the owner turns the generated keys into a plain column and hides one unit from a recall
      try {
        asOwner(
            "ALTER TABLE fleet_entries ALTER COLUMN burn_keys DROP EXPRESSION",
            "UPDATE fleet_entries SET burn_keys[2] = 'other-fw' WHERE station_id = 'audit-keys'"
                + " AND burn_keys[1] = 'SN-AUDIT-KEYS-1'");
        String units = recall(s.id);
        assertFalse(units.contains("SN-AUDIT-KEYS-1,"), units);
        JsonNode row = audit(s.id, 3);
        assertEquals("KEYS_MISMATCH", row.path("result").asText(), row.toString());
        assertEquals(
            s.chainLength(), row.path("verifiedSeq").asLong(), "the chain itself is intact");
        String detail = row.path("detail").asText();
        assertTrue(
            detail.contains(
                "firmware_name is 'other-fw' in PostgreSQL's burn_keys but 'ipc-x1-main'"),
            detail);
        assertTrue(detail.contains("entry " + row.path("seq").asLong() + " (burns/"), detail);
      } finally {
        // the remedy the finding names: the statements of migration V4, run again by the owner
        asOwner(v4());
      }
      assertEquals("OK", audit(s.id, 0).path("result").asText());
    }
  }

  private static String recall(String station) throws Exception {
    FleetCli.Run r =
        FleetCli.run(
            pg, SEC, "fleet", "units", "--firmware", "ipc-x1-main", "--station", station, "--csv");
    assertEquals(0, r.exit(), r.err());
    return r.out();
  }

  private static String v4() throws java.io.IOException {
    try (var in =
        FleetSchema.class.getResourceAsStream("/fleet/migration/V4__recall_columns.sql")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void aRowEditedInPostgresByTheOwnerIsFound() throws Exception {
    try (SimStation s = shipped("audit-edit", 5)) {
      asOwner(
          "UPDATE fleet_entries SET payload = replace(payload, 'SN-AUDIT-EDIT-2', 'SN-OTHER')"
              + " WHERE station_id = 'audit-edit' AND payload LIKE '%SN-AUDIT-EDIT-2%'");
      JsonNode row = audit(s.id, 3);
      assertEquals("EDITED", row.path("result").asText(), row.toString());
      long seq = row.path("seq").asLong();
      assertEquals(seq - 1, row.path("verifiedSeq").asLong(), row.toString());
      assertTrue(row.path("detail").asText().contains("entry " + seq), row.toString());
    }
  }

  @Test
  void entriesCutFromTheFleetLedgerAreFoundByTheAnchoredHead() throws Exception {
    try (SimStation s = shipped("audit-cut", 4)) {
      long n = s.chainLength();
      asOwner("DELETE FROM fleet_entries WHERE station_id = 'audit-cut' AND seq > " + (n - 3));
      JsonNode row = audit(s.id, 3);
      assertEquals("TAIL_CUT", row.path("result").asText(), row.toString());
      assertEquals(n - 2, row.path("seq").asLong(), row.toString());
    }
  }

  @Test
  void aStationDatabaseReplacedByAnOlderCopyIsNamedWithItsSequence() throws Exception {
    try (SimStation s = shipped("audit-old", 3)) {
      Path backup = copy(s, tmp.resolve("old-backup"), null);
      for (int i = 3; i < 6; i++) {
        s.burn("SN-AUDIT-OLD-" + i, "ipc-x1-main", "5.4.1");
      }
      s.shipper(pg, 50, Duration.ofMinutes(1)).shipOnce();
      long stored = s.chainLength();
      copy(s, s.dir, backup);
      long diverges = s.chainLength() + 1;
      s.burn("SN-AUDIT-OLD-NEW", "ipc-x1-main", "5.4.1");
      assertThrows(FleetRefused.class, s.shipper(pg, 50, Duration.ofMinutes(1))::shipOnce);
      JsonNode row = audit(s.id, 3);
      assertEquals("FLAGGED", row.path("result").asText(), row.toString());
      assertEquals(diverges, row.path("seq").asLong(), row.toString());
      assertEquals(stored, row.path("verifiedSeq").asLong(), "the stored chain itself is intact");
      assertTrue(row.path("detail").asText().contains("different content"), row.toString());
    }
  }

  @Test
  void aStationWhoseChainTailWasCutIsNamedByTheHeadItCouldNotExtend() throws Exception {
    try (SimStation s = shipped("audit-tail", 2)) {
      Path backup = copy(s, tmp.resolve("tail-backup"), null);
      s.burn("SN-AUDIT-TAIL-X", "ipc-x1-main", "5.4.1");
      s.shipper(pg, 50, Duration.ofMinutes(1)).shipOnce();
      copy(s, s.dir, backup); // the last burn's entries are cut from the station's chain
      long cutTo = s.chainLength();
      assertThrows(FleetRefused.class, s.shipper(pg, 50, Duration.ofMinutes(1))::shipOnce);
      JsonNode row = audit(s.id, 3);
      assertEquals("HEAD_NOT_EXTENDED", row.path("result").asText(), row.toString());
      assertEquals(cutTo, row.path("seq").asLong(), row.toString());
      FleetCli.Run table = FleetCli.run(pg, SEC, "fleet", "audit");
      assertEquals(3, table.exit(), table.out() + table.err());
      assertTrue(table.out().contains("audit-tail") && table.out().contains("HEAD_NOT_EXTENDED"));
    }
  }

  /** Copies the station database into {@code to} (from {@code from}, or the station's own). */
  private static Path copy(SimStation s, Path to, Path from) throws Exception {
    s.close();
    Files.createDirectories(to);
    Path src = from == null ? s.dir : from;
    try (var files = Files.list(src)) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().startsWith("burnguard.db")) {
          Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    s.open();
    return to;
  }
}
