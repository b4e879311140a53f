package io.burnguard.agent.ledger;

import static io.burnguard.agent.ledger.LedgerFixture.order;
import static io.burnguard.agent.ledger.LedgerFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.orders.WorkOrderRefusal;
import io.burnguard.agent.orders.WorkOrderRefusal.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  @TempDir java.nio.file.Path dir;
  LedgerFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new LedgerFixture(dir);
    f.orders.open(order("WO-1", 10), "eve");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void startedThenPassedKeepsEveryField() throws Exception {
    BurnRecord s = f.ledger.start(request("SN000001", null, "fx1", null));
    assertEquals(Outcome.STARTED, s.outcome());
    assertEquals("WO-1", s.workOrder());
    assertEquals("2026-11-21T08:00:00.000Z", s.startedAt());
    assertNull(s.endedAt());
    assertEquals(Outcome.STARTED, f.ledger.get(s.id()).outcome()); // durable before the device
    f.clock.advance(Duration.ofSeconds(42));
    BurnRecord p = f.ledger.finish(s.id(), BurnResult.passed("cd".repeat(32)));
    assertEquals(Outcome.PASSED, p.outcome());
    assertEquals("2026-11-21T08:00:42.000Z", p.endedAt());
    assertEquals(Boolean.TRUE, p.readbackMatch());
    BurnRecord t = f.ledger.trace("SN000001").get(0);
    assertEquals(p, t);
    assertEquals(List.of("CN=Release Signer A", "CN=Release Signer B"), t.request().signers());
    assertEquals("alice", t.request().operator());
    assertEquals("line3-st07", t.request().stationId());
    assertEquals("clamav-27100", t.request().clamdDbVersion());
    assertEquals(3, f.verifyAudit().entries()); // order.opened, burn.started, burn.passed
  }

  @Test
  void startedThenFailedReleasesNothingAndEndsOnce() throws Exception {
    BurnRecord s = f.ledger.start(request("SN000002", "WO-1", "fx1", null));
    BurnRecord x =
        f.ledger.finish(s.id(), BurnResult.failed("read-back CRC mismatch", "00ff", false));
    assertEquals(Outcome.FAILED, x.outcome());
    assertEquals("read-back CRC mismatch", x.failureReason());
    assertEquals(Boolean.FALSE, x.readbackMatch());
    assertThrows(
        IllegalStateException.class, () -> f.ledger.finish(s.id(), BurnResult.passed("00")));
    assertThrows(
        IllegalArgumentException.class, () -> new BurnResult(Outcome.PASSED, null, "00", false));
  }

  @Test
  void unitBurnedTwiceKeepsBothRecordsNewestFirst() throws Exception {
    BurnRecord a = f.ledger.start(request("SN000003", null, "fx1", null));
    f.ledger.finish(a.id(), BurnResult.passed("cd".repeat(32)));
    WorkOrderRefusal dup =
        assertThrows(
            WorkOrderRefusal.class, () -> f.ledger.start(request("SN000003", null, "fx1", null)));
    assertEquals(Reason.DUPLICATE, dup.reason());
    assertTrue(dup.getMessage().contains("rework reason"), dup.getMessage());
    f.clock.advance(Duration.ofMinutes(5));
    BurnRecord b = f.ledger.start(request("SN000003", null, "fx2", "customer return RMA-77"));
    f.ledger.finish(b.id(), BurnResult.passed("cd".repeat(32)));
    List<BurnRecord> trace = f.ledger.trace("SN000003");
    assertEquals(List.of(b.id(), a.id()), trace.stream().map(BurnRecord::id).toList());
    assertEquals("customer return RMA-77", trace.get(0).request().reworkReason());
    assertEquals(1, f.orders.get("WO-1").passed()); // one unit, burned twice
  }

  @Test
  void restartMarksStartedBurnsInterruptedWithTheRestartTime() throws Exception {
    BurnRecord dead = f.ledger.start(request("SN000004", null, "fx1", null));
    BurnRecord live = f.ledger.start(request("SN000005", null, "fx2", null));
    f.clock.advance(Duration.ofMinutes(3));
    List<BurnRecord> changed = f.ledger.recoverInterrupted(Set.of(live.id()));
    assertEquals(List.of(dead.id()), changed.stream().map(BurnRecord::id).toList());
    BurnRecord d = f.ledger.get(dead.id());
    assertEquals(Outcome.INTERRUPTED, d.outcome());
    assertEquals("2026-11-21T08:03:00.000Z", d.endedAt());
    assertTrue(d.failureReason().contains("restarted at 2026-11-21T08:03:00.000Z"));
    assertEquals(Outcome.STARTED, f.ledger.get(live.id()).outcome());
    f.verifyAudit();
  }

  @Test
  void refusalsAreRecordedAndLeaveNoBurnRow() throws Exception {
    WorkOrderRefusal e =
        assertThrows(
            WorkOrderRefusal.class, () -> f.ledger.start(request("XX1", null, "fx1", null)));
    assertEquals(Reason.BARCODE_RULE, e.reason());
    assertTrue(f.ledger.trace("XX1").isEmpty());
    long refusals =
        f.db.read(
            c -> {
              try (var rs =
                  c.createStatement()
                      .executeQuery("SELECT count(*) FROM audit_chain WHERE kind='burn.refused'")) {
                rs.next();
                return rs.getLong(1);
              }
            });
    assertEquals(1, refusals);
  }

  @Test
  void orderRulesRefuseWithActionableReasons() throws Exception {
    assertEquals(
        Reason.ORDER_NOT_FOUND,
        assertThrows(
                WorkOrderRefusal.class,
                () -> f.ledger.start(request("SN000006", "WO-9", "fx1", null)))
            .reason());
    f.orders.open(order("WO-2", 5), "eve");
    assertEquals(
        Reason.AMBIGUOUS_ORDER,
        assertThrows(
                WorkOrderRefusal.class,
                () -> f.ledger.start(request("SN000006", null, "fx1", null)))
            .reason());
    f.orders.close("WO-2", "eve", "done");
    assertEquals(
        Reason.ORDER_CLOSED,
        assertThrows(
                WorkOrderRefusal.class,
                () -> f.ledger.start(request("SN000006", "WO-2", "fx1", null)))
            .reason());
    assertEquals(
        Reason.ORDER_EXISTS,
        assertThrows(WorkOrderRefusal.class, () -> f.orders.open(order("WO-1", 1), "eve"))
            .reason());
    assertEquals(1, f.orders.list(true).size());
    assertEquals(2, f.orders.list(false).size());
    BurnRequest wrongFw =
        new BurnRequest(
            "SN000006",
            "IPC-X1",
            null,
            "fx1",
            "p",
            "d",
            "ipc-x1-main",
            "5.4.0",
            LedgerFixture.SHA,
            List.of(),
            "OK",
            "v",
            "alice",
            "st",
            null);
    assertEquals(
        Reason.FIRMWARE_MISMATCH,
        assertThrows(WorkOrderRefusal.class, () -> f.ledger.start(wrongFw)).reason());
    BurnRecord s = f.ledger.start(request("SN000006", null, "fx1", null));
    assertEquals(
        Reason.IN_PROGRESS,
        assertThrows(
                WorkOrderRefusal.class, () -> f.ledger.start(request("SN000006", null, "fx2", "x")))
            .reason());
    f.ledger.finish(s.id(), BurnResult.passed("00"));
    f.verifyAudit();
  }
}
