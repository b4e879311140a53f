package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.orders.BarcodeRule;
import io.burnguard.agent.orders.CheckDigit;
import io.burnguard.agent.orders.DuplicatePolicy;
import io.burnguard.agent.orders.OrderSpec;
import io.burnguard.agent.orders.WorkOrder;
import io.burnguard.agent.orders.WorkOrderRefusal;
import io.burnguard.config.StationConfig;
import java.util.Locale;

/**
 * The daemon's work-order requests: {@code order open}, {@code order close}, {@code order list}.
 * Thin: parses arguments (a model's barcode rule from station.yaml is the default), calls {@link
 * LedgerService}, maps its refusals to exit codes.
 */
final class OrderOps {
  private final StationConfig config;
  private final LedgerService ledger;

  OrderOps(StationConfig config, LedgerService ledger) {
    this.config = config;
    this.ledger = ledger;
  }

  Result orderOpen(Call call) throws OperationException {
    JsonNode a = call.args();
    String model = call.text("model");
    StationConfig.Model m = config.models().get(model);
    String regex = a.path("barcodeRule").asText("");
    String check = a.path("checkDigit").asText("");
    if (regex.isEmpty() && m != null && m.barcodeRule() != null) {
      regex = m.barcodeRule().pattern();
    }
    if (check.isEmpty() && m != null && m.checkDigit() != null) {
      check = m.checkDigit().name();
    }
    try {
      OrderSpec spec =
          new OrderSpec(
              call.text("id"),
              model,
              call.text("firmware"),
              call.text("version"),
              a.path("quantity").asLong(0),
              new BarcodeRule(
                  regex.isEmpty() ? "[\\x21-\\x7e]{1,128}" : regex,
                  check.isEmpty() ? CheckDigit.NONE : CheckDigit.named(check)),
              a.path("noRework").asBoolean(false)
                  ? DuplicatePolicy.NEVER
                  : DuplicatePolicy.REWORK_WITH_REASON);
      WorkOrder o = ledger.openOrder(spec, call.caller().user());
      return new Result(
          ExitCode.OK,
          String.format(
              Locale.ROOT,
              "opened work order %s: %d x %s with %s %s, barcodes %s%s",
              spec.id(),
              spec.quantity(),
              spec.model(),
              spec.firmwareName(),
              spec.firmwareVersion(),
              spec.rule().regex(),
              spec.rule().checkDigit() == CheckDigit.NONE
                  ? ""
                  : " (" + spec.rule().checkDigit().name().toLowerCase(Locale.ROOT) + ")"),
          order(o));
    } catch (IllegalArgumentException e) {
      throw new OperationException(ExitCode.USAGE, e.getMessage(), e);
    } catch (WorkOrderRefusal e) {
      throw new OperationException(ExitCode.REFUSED, e.getMessage(), e);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    }
  }

  Result orderClose(Call call) throws OperationException {
    try {
      WorkOrder o =
          ledger.closeOrder(
              call.text("id"), call.caller().user(), call.args().path("note").asText(""));
      return new Result(ExitCode.OK, "closed work order " + o.spec().id(), order(o));
    } catch (WorkOrderRefusal e) {
      throw new OperationException(ExitCode.REFUSED, e.getMessage(), e);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    }
  }

  Result orderList(Call call) throws OperationException {
    try {
      ObjectNode data = Wire.object();
      ArrayNode arr = data.putArray("orders");
      for (WorkOrder o : ledger.listOrders(!call.args().path("all").asBoolean(false))) {
        arr.add(order(o));
      }
      return Result.ok(data);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    }
  }

  static ObjectNode order(WorkOrder o) {
    ObjectNode n = Wire.object();
    n.put("id", o.spec().id());
    n.put("model", o.spec().model());
    n.put("firmware", o.spec().firmwareName());
    n.put("version", o.spec().firmwareVersion());
    n.put("quantity", o.spec().quantity());
    n.put("passed", o.passed());
    n.put("barcodeRule", o.spec().rule().regex());
    n.put("checkDigit", o.spec().rule().checkDigit().name());
    n.put("duplicates", o.spec().duplicates().name());
    n.put("open", o.open());
    n.put("openedAt", o.openedAt());
    n.put("openedBy", o.openedBy());
    n.put("closedAt", o.closedAt());
    n.put("closedBy", o.closedBy());
    return n;
  }
}
