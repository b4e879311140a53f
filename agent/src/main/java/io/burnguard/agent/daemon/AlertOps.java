package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.alerts.Alert;
import io.burnguard.agent.alerts.AlertRefusal;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.LedgerService;

/**
 * The daemon's alert requests: {@code alerts [--open]} and {@code alerts ack}. Thin: calls the
 * alert store, maps its refusals to exit codes.
 */
final class AlertOps {
  private final LedgerService ledger;

  AlertOps(LedgerService ledger) {
    this.ledger = ledger;
  }

  Result alertsList(Call call) throws OperationException {
    try {
      ObjectNode data = Wire.object();
      ArrayNode arr = data.putArray("alerts");
      for (Alert al : ledger.alerts().list(call.args().path("open").asBoolean(false), 1000)) {
        arr.add(Wire.mapper().valueToTree(al));
      }
      return Result.ok(data);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    }
  }

  Result alertsAck(Call call) throws OperationException {
    try {
      Alert al =
          ledger
              .alerts()
              .acknowledge(
                  call.args().path("id").asLong(-1), call.caller().user(), call.text("note"));
      return new Result(
          ExitCode.OK, "alert " + al.id() + " acknowledged", Wire.mapper().valueToTree(al));
    } catch (AlertRefusal e) {
      throw new OperationException(ExitCode.REFUSED, e.getMessage(), e);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    }
  }
}
