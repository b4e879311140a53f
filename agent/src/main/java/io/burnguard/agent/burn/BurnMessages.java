package io.burnguard.agent.burn;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.Outcome;
import io.burnguard.agent.orders.WorkOrderRefusal;
import io.burnguard.agent.scan.ScanException;
import io.burnguard.config.StationConfig;
import java.util.List;

/**
 * What the operator reads: every sentence the burn pipeline says, with the exit code it ends in
 * (docs/architecture.md, "CLI contract"). Kept together so the wording stays consistent and each
 * sentence says what happened and what to do.
 */
final class BurnMessages {
  private BurnMessages() {}

  static OperationException noSuchFixture(String id, List<StationConfig.Fixture> fixtures) {
    List<String> known = fixtures.stream().map(StationConfig.Fixture::id).toList();
    return new OperationException(
        ExitCode.USAGE,
        "there is no fixture \"" + id + "\" on this station; known: " + String.join(", ", known));
  }

  static OperationException fixtureBusy(StationConfig.Fixture fx) {
    return new OperationException(
        ExitCode.DEVICE,
        "fixture "
            + fx.id()
            + " is busy burning another unit; wait for its result, then scan"
            + " this unit again");
  }

  static OperationException portBusy(StationConfig.Fixture fx) {
    return new OperationException(
        ExitCode.DEVICE,
        "fixture "
            + fx.id()
            + " is busy: its port "
            + fx.port()
            + " is in use by another burn (station.yaml was reloaded while it ran); wait for its"
            + " result, then scan this unit again");
  }

  static OperationException noOpenOrder(String model) {
    return new OperationException(
        ExitCode.REFUSED, "refused: no open work order for model " + model);
  }

  static OperationException refused(WorkOrderRefusal e) {
    return new OperationException(ExitCode.REFUSED, "refused: " + e.getMessage(), e);
  }

  static OperationException unavailable(DatabaseException e) {
    return new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
  }

  static OperationException scan(ScanException e) {
    return new OperationException(
        e.reason().dependencyFailure() ? ExitCode.UNAVAILABLE : ExitCode.REFUSED,
        "scan: " + e.getMessage(),
        e);
  }

  static OperationException notStarted(DatabaseException e) {
    return new OperationException(
        ExitCode.UNAVAILABLE,
        "the burn cannot be recorded, so it is not started: " + e.getMessage(),
        e);
  }

  static OperationException resultNotRecorded(
      BurnRecord rec, Outcome outcome, DatabaseException e) {
    return new OperationException(
        ExitCode.UNAVAILABLE,
        "the burn of "
            + rec.request().barcode()
            + " ended "
            + outcome
            + " but the result could"
            + " not be recorded ("
            + e.getMessage()
            + "); it will show as INTERRUPTED",
        e);
  }

  static String couldNotRun(Exception e) {
    return "the burn could not run: " + e.getMessage();
  }

  static String passed(BurnRecord rec, String readBack) {
    return "PASS  "
        + rec.request().barcode()
        + "  "
        + rec.request().firmwareName()
        + " "
        + rec.request().firmwareVersion()
        + " flashed and verified (read-back "
        + readBack
        + ")";
  }

  static String failed(BurnRecord rec, String reason) {
    return "FAIL  " + rec.request().barcode() + "  " + reason;
  }
}
