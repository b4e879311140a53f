package io.burnguard.agent.burn;

import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.AdmissionRequest;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.orders.WorkOrder;
import io.burnguard.agent.orders.WorkOrderRefusal;
import io.burnguard.config.StationConfig;
import java.util.List;

/**
 * The pipeline's first stage: the order the unit would burn under, checked early so an operator
 * hears "no open order" or "bad barcode" at once. The authoritative check runs again inside the
 * STARTED transaction.
 */
final class OrderCheck {
  private final LedgerService ledger;
  private final String station;

  OrderCheck(LedgerService ledger, String station) {
    this.ledger = ledger;
    this.station = station;
  }

  WorkOrder admissible(Call call, StationConfig.Fixture fx, BurnArguments args)
      throws OperationException {
    try {
      List<WorkOrder> candidates =
          ledger.listOrders(true).stream()
              .filter(
                  o ->
                      args.order() == null
                          ? o.spec().model().equals(fx.model())
                          : o.spec().id().equals(args.order()))
              .toList();
      if (candidates.size() != 1) {
        // No single open order: the ledger names (and records) the precise refusal.
        ledger.precheck(request(call, fx, args, args.order(), "", ""));
        throw BurnMessages.noOpenOrder(fx.model());
      }
      WorkOrder o = candidates.get(0);
      ledger.precheck(
          request(
              call, fx, args, o.spec().id(), o.spec().firmwareName(), o.spec().firmwareVersion()));
      return o;
    } catch (WorkOrderRefusal e) {
      throw BurnMessages.refused(e);
    } catch (DatabaseException e) {
      throw BurnMessages.unavailable(e);
    }
  }

  private AdmissionRequest request(
      Call call,
      StationConfig.Fixture fx,
      BurnArguments args,
      String orderId,
      String firmwareName,
      String firmwareVersion) {
    return new AdmissionRequest(
        args.barcode(),
        fx.model(),
        orderId,
        firmwareName,
        firmwareVersion,
        args.reworkReason(),
        fx.id(),
        call.caller().user(),
        station);
  }
}
