package io.burnguard.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.alerts.AlertStore;
import io.burnguard.agent.alerts.Severity;
import io.burnguard.agent.audit.AuditChainBroken.Problem;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.testing.OutsideEdit;
import io.burnguard.agent.vetting.SqliteVersionStore;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: the guard's last verified sequence is remembered as a signed chain entry, so a daemon
 * start walks only newer entries; the checkpoint and the vetting entries it names cannot be edited
 * or forged without the station key.
 */
class GuardCheckpointTest {
  @TempDir Path dir;

  private Path dbFile() {
    return dir.resolve("burnguard.db");
  }

  /** A change made outside BurnGuard (OutsideEdit). */
  private void outside(String sql) throws Exception {
    OutsideEdit.run(dbFile(), sql);
  }

  private static AuditChainBroken check(ProjectionGuard g, Connection c)
      throws java.sql.SQLException {
    try {
      g.check(c);
      return null;
    } catch (AuditChainBroken e) {
      return e;
    }
  }

  /** 20 alerts, the vetting state, a checkpoint at entry 23, then 2 more entries. */
  private ProjectionGuard station(StationKey key) throws Exception {
    try (Database db = Database.open(dbFile())) {
      AuditChain chain = AuditChain.open(db, key, ChainFixture.CLOCK);
      SqliteVersionStore versions = new SqliteVersionStore(db);
      versions.recordVersion("ipc-x1-main", "5.4.1");
      versions.recordWithdrawalSequence(7);
      AlertStore alerts = new AlertStore(db, chain, ChainFixture.CLOCK);
      for (int i = 0; i < 20; i++) {
        alerts.raise(Severity.INFO, "t", "alert " + i);
      }
      versions.recordVersion("ipc-x1-main", "5.5.0");
      ProjectionGuard first = new ProjectionGuard(key.publicKey());
      assertNull(db.read(c -> check(first, c)));
      assertEquals(23, first.walkedByLastCheck(), "no checkpoint yet: the whole chain");
      chain.write(
          c -> {
            first.appendCheckpoint(c, chain);
            return null;
          });
      alerts.raise(Severity.INFO, "t", "after the checkpoint");
      return first;
    }
  }

  @Test
  void aStartWalksOnlyTheEntriesAfterTheCheckpoint() throws Exception {
    StationKey key = StationKey.loadOrCreate(dir);
    station(key);
    try (Database db = Database.open(dbFile())) {
      ProjectionGuard next = new ProjectionGuard(key.publicKey());
      assertNull(db.read(c -> check(next, c)));
      assertEquals(1, next.walkedByLastCheck(), "only the entry after the checkpoint (24)");
      assertEquals(25, next.verifiedSequence());
      // The vetting state named by the checkpoint is still compared: a reset is found.
      outside("UPDATE vetting_highest_version SET version = '5.4.1'");
      AuditChainBroken e = db.read(c -> check(next, c));
      assertEquals(Problem.TABLE_MISMATCH, e.problem(), e.getMessage());
      assertTrue(e.getMessage().contains("vetting_highest_version ipc-x1-main"), e.getMessage());
    }
  }

  @Test
  void anEditedCheckpointOrAnEditedEntryItNamesIsRefused() throws Exception {
    StationKey key = StationKey.loadOrCreate(dir);
    station(key);
    // audit_chain refuses UPDATE through its trigger; a tamperer drops it first.
    String dropTrigger = "DROP TRIGGER audit_chain_no_update";
    outside(dropTrigger);
    outside(
        "UPDATE audit_chain SET payload = replace(payload, '\"verified\":23', '\"verified\":22')"
            + " WHERE ref = 'guard/checkpoint'");
    try (Database db = Database.open(dbFile())) {
      AuditChainBroken e = db.read(c -> check(new ProjectionGuard(key.publicKey()), c));
      assertEquals(Problem.EDITED, e.problem(), e.getMessage());
      assertTrue(e.getMessage().contains("checkpoint"), e.getMessage());
    }
    outside(
        "UPDATE audit_chain SET payload = replace(payload, '\"verified\":22', '\"verified\":23')"
            + " WHERE ref = 'guard/checkpoint'");
    // The entry that raised the anti-rollback mark to 5.5.0, relabelled to hide it.
    outside(
        "UPDATE audit_chain SET ref = 'hidden' WHERE seq = (SELECT max(seq) FROM audit_chain"
            + " WHERE ref = 'vetting_highest_version/ipc-x1-main')");
    try (Database db = Database.open(dbFile())) {
      AuditChainBroken e = db.read(c -> check(new ProjectionGuard(key.publicKey()), c));
      assertEquals(Problem.EDITED, e.problem(), e.getMessage());
    }
  }
}
