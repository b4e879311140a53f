package io.burnguard.agent.ledger;

import static io.burnguard.agent.ledger.LedgerFixture.order;
import static io.burnguard.agent.ledger.LedgerFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.orders.WorkOrderRefusal;
import io.burnguard.agent.orders.WorkOrderRefusal.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6: quantity never exceeded with 8 concurrent burn requests for the last 3 units. */
class QuantityConcurrencyTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void eightFixturesRaceForTheLastThreeUnits() throws Exception {
    try (LedgerFixture f = new LedgerFixture(dir)) {
      f.orders.open(order("WO-1", 5), "eve");
      for (int i = 1; i <= 2; i++) {
        BurnRecord r = f.ledger.start(request("SN90000" + i, "WO-1", "fx0", null));
        f.ledger.finish(r.id(), BurnResult.passed("00"));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Object>> results = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          String barcode = "SN80000" + i;
          String fixture = "fx" + (i + 1);
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    try {
                      return f.ledger.start(request(barcode, "WO-1", fixture, null));
                    } catch (WorkOrderRefusal e) {
                      return e;
                    }
                  }));
        }
        go.countDown();
        List<BurnRecord> started = new ArrayList<>();
        int refused = 0;
        for (Future<Object> r : results) {
          Object o = r.get(30, TimeUnit.SECONDS);
          if (o instanceof BurnRecord) {
            started.add((BurnRecord) o);
          } else {
            assertEquals(Reason.QUANTITY_REACHED, ((WorkOrderRefusal) o).reason());
            refused++;
          }
        }
        assertEquals(3, started.size());
        assertEquals(5, refused);
        // A failed burn releases its reservation; the others complete the order exactly.
        f.ledger.finish(started.get(0).id(), BurnResult.failed("no response", null, null));
        f.ledger.finish(started.get(1).id(), BurnResult.passed("00"));
        f.ledger.finish(started.get(2).id(), BurnResult.passed("00"));
        BurnRecord last = f.ledger.start(request("SN700000", "WO-1", "fx1", null));
        f.ledger.finish(last.id(), BurnResult.passed("00"));
        assertEquals(5, f.orders.get("WO-1").passed());
        assertEquals(0, f.orders.get("WO-1").remaining());
        WorkOrderRefusal over =
            org.junit.jupiter.api.Assertions.assertThrows(
                WorkOrderRefusal.class,
                () -> f.ledger.start(request("SN700001", "WO-1", "fx1", null)));
        assertTrue(over.getMessage().contains("5 of 5"), over.getMessage());
        f.verifyAudit();
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
