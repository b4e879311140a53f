package io.burnguard.agent.burn;

import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.BurnRequest;
import io.burnguard.agent.ledger.BurnResult;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.orders.WorkOrder;
import io.burnguard.agent.orders.WorkOrderRefusal;
import io.burnguard.agent.scan.ScanVerdict;
import io.burnguard.config.StationConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's ledger writes: STARTED (durable before the device is touched), PASSED or FAILED,
 * and the refusals that happen after the order check. This is where typed values (signers, scan
 * finding) become the ledger's recorded text.
 */
final class BurnRecorder {
  private static final Logger log = LoggerFactory.getLogger(BurnRecorder.class);

  private final LedgerService ledger;
  private final String station;

  BurnRecorder(LedgerService ledger, String station) {
    this.ledger = ledger;
    this.station = station;
  }

  /** Records STARTED; the unit is reserved against its order from here on. */
  BurnRecord start(
      Call call,
      StationConfig.Fixture fx,
      BurnArguments args,
      WorkOrder order,
      VettedImage image,
      ScanVerdict verdict)
      throws OperationException {
    BurnRequest req =
        new BurnRequest(
            args.barcode(),
            fx.model(),
            order.spec().id(),
            fx.id(),
            fx.port(),
            fx.driver(),
            image.manifest().name(),
            image.manifest().version(),
            image.manifest().sha256(),
            image.release().signerNames(),
            verdict.finding().text(),
            verdict.engineAndDatabase(),
            call.caller().user(),
            station,
            args.reworkReason());
    try {
      return ledger.startBurn(req);
    } catch (WorkOrderRefusal e) {
      throw BurnMessages.refused(e);
    } catch (DatabaseException e) {
      throw BurnMessages.notStarted(e);
    }
  }

  /** Records how the STARTED burn ended. */
  BurnRecord finish(BurnRecord started, BurnResult result) throws OperationException {
    try {
      return ledger.finishBurn(started.id(), result);
    } catch (DatabaseException e) {
      throw BurnMessages.resultNotRecorded(started, result.outcome(), e);
    }
  }

  /**
   * Refusals after the order check (release not vetted, withdrawn, scan) are chained like the
   * ledger's own, so every refused burn is on the record. Refusals from the ledger itself (at
   * STARTED) are already chained there.
   */
  void refused(
      Call call, StationConfig.Fixture fx, String barcode, WorkOrder order, OperationException e) {
    if (e.getCause() instanceof WorkOrderRefusal) {
      return;
    }
    String id = order.spec().id();
    chain(call, fx, barcode, id, "orders/" + id, e);
  }

  /**
   * A burn refused because the fixture is busy (issue 12, finding 10): chained before any order is
   * looked up, with the order the operator named, if any, so a second scan on a busy fixture is on
   * the record too.
   */
  void busy(Call call, StationConfig.Fixture fx, BurnArguments args, OperationException e) {
    String ref = "orders/" + (args.order() == null ? "-" : args.order()); // as the ledger's own
    chain(call, fx, args.barcode(), args.order(), ref, e);
  }

  private void chain(
      Call call,
      StationConfig.Fixture fx,
      String barcode,
      String orderId,
      String ref,
      OperationException e) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("barcode", barcode);
    p.put("model", fx.model());
    p.put("fixture", fx.id());
    if (orderId != null) {
      p.put("workOrder", orderId);
    }
    p.put("operator", call.caller().user());
    p.put("station", station);
    p.put("exit", e.exit().code());
    p.put("message", e.getMessage());
    try {
      ledger
          .chain()
          .write(
              c -> {
                ledger.chain().append(c, "burn.refused", ref, p);
                return null;
              });
    } catch (DatabaseException dbe) {
      log.error("cannot record the refused burn of {}: {}", barcode, dbe.getMessage());
    }
  }
}
