package io.burnguard.agent.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.audit.AuditChain;
import io.burnguard.agent.audit.AuditVerifier;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.db.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertStoreTest {
  @TempDir Path dir;

  @Test
  void raiseListAcknowledgeAndAudit() throws Exception {
    Path file = dir.resolve("burnguard.db");
    StationKey key = StationKey.loadOrCreate(dir);
    Clock clock = Clock.fixed(Instant.parse("2026-11-21T08:00:00Z"), ZoneOffset.UTC);
    try (Database db = Database.open(file)) {
      AlertStore alerts = new AlertStore(db, AuditChain.open(db, key, clock), clock);
      Alert a = alerts.raise(Severity.CRITICAL, "port.unauthorized-usb", "USB storage on port 1-2");
      alerts.raise(Severity.WARNING, "clamd.stale", "clamd database is 3 days old");
      assertEquals(2, alerts.list(true, 100).size());
      assertEquals(
          AlertRefusal.Reason.NOTE_REQUIRED,
          assertThrows(AlertRefusal.class, () -> alerts.acknowledge(a.id(), "sam", " ")).reason());
      Alert acked = alerts.acknowledge(a.id(), "sam", "operator's phone; removed, briefed");
      assertEquals("sam", acked.acknowledgedBy());
      assertEquals(
          AlertRefusal.Reason.ALREADY_ACKNOWLEDGED,
          assertThrows(AlertRefusal.class, () -> alerts.acknowledge(a.id(), "sam", "again"))
              .reason());
      assertEquals(
          AlertRefusal.Reason.NOT_FOUND,
          assertThrows(AlertRefusal.class, () -> alerts.acknowledge(99, "sam", "x")).reason());
      List<Alert> open = alerts.list(true, 100);
      assertEquals(1, open.size());
      assertTrue(open.get(0).open());
      assertEquals(2, alerts.list(false, 100).size());
    }
    assertEquals(
        3, new AuditVerifier(key.publicKey(), true).verifyDatabase(file, List.of()).entries());
  }
}
