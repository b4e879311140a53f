package io.burnguard.agent.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.alerts.Alert;
import io.burnguard.agent.audit.AuditChainBroken;
import io.burnguard.agent.audit.AuditVerifier;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.orders.WorkOrderRefusal;
import io.burnguard.agent.testing.OutsideEdit;
import io.burnguard.agent.testing.TestClock;
import io.burnguard.agent.vetting.SqliteVersionStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, found at the final merge: a writer of the vetting state (the trust refresher storing
 * the server's withdrawal list again) must not re-chain a tampered row and so erase the evidence.
 */
class VettingWriteGateTest {
  @TempDir Path dir;
  final TestClock clock = new TestClock(Instant.parse("2026-11-21T08:00:00Z"));

  private Path dbFile() {
    return dir.resolve("burnguard.db");
  }

  /** A change made outside BurnGuard (OutsideEdit). */
  private void outside(String sql) throws Exception {
    OutsideEdit.run(dbFile(), sql);
  }

  private static Alert openStateAlert(LedgerService s) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<Alert> a =
          s.alerts().list(true, 10).stream()
              .filter(x -> x.kind().equals("ledger.state-mismatch"))
              .findFirst();
      if (a.isPresent()) {
        return a.get();
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no open ledger.state-mismatch alert within 10 s");
  }

  @Test
  void aTamperFoundByAWriterIsNotStoredOverUntilSecurityAcknowledges() throws Exception {
    try (Database db = Database.open(dbFile())) {
      LedgerService s = LedgerService.open(db, clock);
      SqliteVersionStore versions = new SqliteVersionStore(db);
      versions.recordWithdrawalSequence(7);
      // While the daemon runs, someone resets the withdrawal sequence in the file.
      outside("UPDATE vetting_withdrawal_state SET sequence = 0");

      // The writer (as the refresher's re-verification does) would raise it back to 7 and chain
      // it, healing the table: refused, the table keeps the evidence, and the alert is raised.
      DatabaseException refused =
          assertThrows(DatabaseException.class, () -> versions.recordWithdrawalSequence(7));
      assertTrue(
          refused.getMessage().contains("vetting state is not written"), refused.getMessage());
      assertTrue(
          refused.getMessage().contains("vetting_withdrawal_state 1: column sequence"),
          refused.getMessage());
      assertEquals(OptionalLong.of(0), versions.withdrawalSequence());
      Alert alert = openStateAlert(s);
      AuditChainBroken e =
          assertThrows(
              AuditChainBroken.class,
              () ->
                  new AuditVerifier(StationKey.loadOrCreate(dir).publicKey(), false)
                      .verifyDatabase(dbFile(), List.of()));
      assertEquals(AuditChainBroken.Problem.TABLE_MISMATCH, e.problem(), e.getMessage());
      // Other writes of the vetting state are refused too, and burns.
      assertThrows(DatabaseException.class, () -> versions.recordVersion("ipc-x1-main", "5.4.1"));
      WorkOrderRefusal burn = assertThrows(WorkOrderRefusal.class, s::requireTrustedState);
      assertEquals(WorkOrderRefusal.Reason.LEDGER_STATE, burn.reason());

      // Security looks and acknowledges: the server's signed state may be stored again.
      s.alerts().acknowledge(alert.id(), "security", "reset found, restoring from the server");
      versions.recordWithdrawalSequence(7);
      assertEquals(OptionalLong.of(7), versions.withdrawalSequence());
      s.requireTrustedState(); // the tables agree again and the alert is acknowledged
    }
  }

  @Test
  void writesOfAnUntamperedStationPass() throws Exception {
    try (Database db = Database.open(dbFile())) {
      LedgerService s = LedgerService.open(db, clock);
      SqliteVersionStore versions = new SqliteVersionStore(db);
      for (int i = 1; i <= 3; i++) {
        versions.recordWithdrawalSequence(i);
        versions.recordVersion("ipc-x1-main", "5.4." + i);
        s.requireTrustedState();
      }
      assertEquals(Optional.of("5.4.3"), versions.highestVersion("ipc-x1-main"));
      assertTrue(s.alerts().list(true, 10).isEmpty());
    }
  }
}
