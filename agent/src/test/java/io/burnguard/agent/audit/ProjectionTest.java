package io.burnguard.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.alerts.AlertStore;
import io.burnguard.agent.alerts.Severity;
import io.burnguard.agent.audit.AuditChainBroken.Problem;
import io.burnguard.agent.audit.RowDifference.Change;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.testing.OutsideEdit;
import io.burnguard.agent.vetting.SqliteVersionStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: tables as projections of the chain, their verification, migration and guard. */
class ProjectionTest {
  @TempDir Path dir;

  private Path dbFile() {
    return dir.resolve("burnguard.db");
  }

  /** A change made outside BurnGuard (OutsideEdit). */
  private void outside(String sql) throws Exception {
    OutsideEdit.run(dbFile(), sql);
  }

  private AuditVerification verify(StationKey key) throws Exception {
    return new AuditVerifier(key.publicKey(), true).verifyDatabase(dbFile(), List.of());
  }

  private List<RowDifference> broken(StationKey key) {
    AuditChainBroken e = assertThrows(AuditChainBroken.class, () -> verify(key));
    assertEquals(Problem.TABLE_MISMATCH, e.problem(), e.getMessage());
    return e.differences();
  }

  @Test
  void everyStoreChangeIsChainedAndTamperingIsNamed() throws Exception {
    StationKey key = StationKey.loadOrCreate(dir);
    try (Database db = Database.open(dbFile())) {
      AuditChain chain = AuditChain.open(db, key, ChainFixture.CLOCK);
      new AlertStore(db, chain, ChainFixture.CLOCK).raise(Severity.WARNING, "t", "first");
      // Stores without a chain reference are chained by the commit hook.
      new SqliteVersionStore(db).recordVersion("ipc-x1-main", "5.4.1");
      new SqliteVersionStore(db).recordWithdrawalSequence(7);
    }
    AuditVerification ok = verify(key);
    assertEquals(3, ok.rowsCompared());
    assertEquals(3, ok.entries());

    outside("UPDATE alerts SET message = 'forged' WHERE id = 1");
    outside("DELETE FROM vetting_withdrawal_state");
    outside("INSERT INTO vetting_highest_version(name, version) VALUES ('other', '1.0.0')");
    List<RowDifference> d = broken(key);
    assertTrue(
        d.stream()
            .anyMatch(
                x ->
                    x.change() == Change.EDITED
                        && x.table().equals("alerts")
                        && x.key().equals("1")
                        && x.column().equals("message")
                        && x.chainedValue().equals("\"first\"")
                        && x.tableValue().equals("\"forged\"")),
        d.toString());
    assertTrue(
        d.stream()
            .anyMatch(
                x ->
                    x.change() == Change.DELETED
                        && x.table().equals("vetting_withdrawal_state")
                        && x.chainedValue().contains("\"sequence\":7")),
        d.toString());
    assertTrue(
        d.stream()
            .anyMatch(
                x ->
                    x.change() == Change.INSERTED
                        && x.table().equals("vetting_highest_version")
                        && x.key().equals("other")),
        d.toString());
    assertEquals(3, d.size(), d.toString());
  }

  /**
   * The bulk comparison runs in SQLite (json_object) and hands rows it renders differently to the
   * Java comparison: values SQLite spells otherwise (control characters, REAL) must still pass, and
   * a BLOB slipped into a TEXT column (json_object cannot hold it) or a type change must still be
   * named.
   */
  @Test
  void valuesSqliteRendersDifferentlyPassAndTypeChangesAreNamed() throws Exception {
    StationKey key = StationKey.loadOrCreate(dir);
    String odd = "tab\tquote\"back\\slash \u0001 \u001f del\u007f \u00e9\u2028 \uD83D\uDE00";
    try (Database db = Database.open(dbFile())) {
      AuditChain chain = AuditChain.open(db, key, ChainFixture.CLOCK);
      AlertStore alerts = new AlertStore(db, chain, ChainFixture.CLOCK);
      alerts.raise(Severity.WARNING, "t", odd);
      alerts.raise(Severity.WARNING, "t", "plain");
      alerts.raise(Severity.WARNING, "t", "plain");
    }
    assertEquals(3, verify(key).rowsCompared());
    outside("UPDATE alerts SET message = CAST('plain' AS BLOB) WHERE id = 2");
    outside("UPDATE alerts SET kind = 1.5 WHERE id = 3");
    List<RowDifference> d = broken(key);
    assertEquals(2, d.size(), d.toString());
    assertTrue(
        d.stream().anyMatch(x -> x.key().equals("2") && x.column().equals("message")),
        d.toString());
    assertTrue(
        d.stream().anyMatch(x -> x.key().equals("3") && x.column().equals("kind")), d.toString());
  }

  /**
   * A database of an older schema lacks a projected table until the daemon of this version opens
   * it: verify treats it as empty (passes while the chain has no rows of it; a dropped table whose
   * rows were chained is every row deleted).
   */
  @Test
  void anAbsentProjectedTableIsAnEmptyOne() throws Exception {
    StationKey key = StationKey.loadOrCreate(dir);
    try (Database db = Database.open(dbFile())) {
      AuditChain chain = AuditChain.open(db, key, ChainFixture.CLOCK);
      new AlertStore(db, chain, ChainFixture.CLOCK).raise(Severity.WARNING, "t", "first");
    }
    outside("DROP TABLE port_events");
    assertEquals(1, verify(key).rowsCompared());
    outside("DROP TABLE alerts");
    List<RowDifference> d = broken(key);
    assertEquals(Change.DELETED, d.get(0).change(), d.toString());
    assertEquals("alerts", d.get(0).table(), d.toString());
  }

  @Test
  void aValueWhoseTypeOnlyChangedIsADifference() throws Exception {
    StationKey key = StationKey.loadOrCreate(dir);
    try (Database db = Database.open(dbFile())) {
      new SqliteVersionStore(db).recordWithdrawalSequence(7); // no chain yet: not recorded
      AuditChain chain = AuditChain.open(db, key, ChainFixture.CLOCK);
      new SqliteVersionStore(db).recordWithdrawalSequence(8);
      assertEquals(1, chain.head().sequence());
    }
    verify(key);
    // Column affinity turns the text '8' back into 8; a BLOB keeps its bytes and its class.
    outside("UPDATE vetting_withdrawal_state SET sequence = CAST('8' AS BLOB)");
    List<RowDifference> d = broken(key);
    assertEquals("sequence", d.get(0).column(), d.toString());
  }

  @Test
  void migrationChainsExistingRowsOnceAndMarksTheSnapshot() throws Exception {
    StationKey key = StationKey.loadOrCreate(dir);
    try (Database db = Database.open(dbFile())) {
      db.write(
          c -> {
            try (Statement s = c.createStatement()) {
              s.executeUpdate(
                  "INSERT INTO alerts(created_at, severity, kind, message)"
                      + " VALUES ('2026-11-21T08:00:00.000Z', 'INFO', 'old', 'before chaining')");
            }
            return null;
          });
    }
    assertEquals(Change.INSERTED, broken(key).get(0).change());
    try (Database db = Database.open(dbFile())) {
      AuditChain chain = AuditChain.open(db, key, ChainFixture.CLOCK);
      assertEquals(1, LedgerSnapshot.takeIfAbsent(chain));
      assertEquals(0, LedgerSnapshot.takeIfAbsent(chain));
      assertEquals(2, chain.head().sequence(), "one row entry and one marker, taken once");
    }
    assertEquals(2, verify(key).entries());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile());
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT kind, ref, payload FROM audit_chain ORDER BY seq")) {
      rs.next();
      assertEquals(LedgerSnapshot.ROW_KIND, rs.getString(1));
      assertEquals("alerts/1", rs.getString(2));
      rs.next();
      assertEquals(LedgerSnapshot.KIND, rs.getString(1));
      assertTrue(rs.getString(3).contains("\"snapshot\":true"), rs.getString(3));
    }
  }

  @Test
  void guardReplaysIncrementallyAndRefusesAResetAntiRollbackMark() throws Exception {
    StationKey key = StationKey.loadOrCreate(dir);
    try (Database db = Database.open(dbFile())) {
      AuditChain chain = AuditChain.open(db, key, ChainFixture.CLOCK);
      SqliteVersionStore versions = new SqliteVersionStore(db);
      versions.recordVersion("ipc-x1-main", "5.4.1");
      ProjectionGuard guard = new ProjectionGuard(key.publicKey());
      assertNull(db.read(c -> check(guard, c)));
      assertEquals(1, guard.verifiedSequence());
      versions.recordVersion("ipc-x1-main", "5.5.0");
      new AlertStore(db, chain, ChainFixture.CLOCK).raise(Severity.INFO, "t", "unrelated");
      assertNull(db.read(c -> check(guard, c)));
      assertEquals(3, guard.verifiedSequence(), "only the newer entries were walked");

      outside("UPDATE vetting_highest_version SET version = '5.4.1'");
      AuditChainBroken e = db.read(c -> check(guard, c));
      assertEquals(Problem.TABLE_MISMATCH, e.problem());
      assertTrue(e.getMessage().contains("vetting_highest_version ipc-x1-main"), e.getMessage());
      assertTrue(e.getMessage().contains("\"5.5.0\""), e.getMessage());
    }
  }

  /** The guard's finding, or null when the state agrees with the chain. */
  private static AuditChainBroken check(ProjectionGuard g, Connection c)
      throws java.sql.SQLException {
    try {
      g.check(c);
      return null;
    } catch (AuditChainBroken e) {
      return e;
    }
  }
}
