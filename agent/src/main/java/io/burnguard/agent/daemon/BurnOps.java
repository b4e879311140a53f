package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.burn.BurnArguments;
import io.burnguard.agent.burn.BurnPipeline;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.BurnWriter;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.ledger.UnitsQuery;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The daemon's burn requests: {@code burn} (handed to the {@link BurnPipeline}), {@code trace} and
 * {@code units} (the burn records, forward and reverse). Thin: parses arguments, calls the pipeline
 * or {@link LedgerService}, maps refusals to exit codes.
 */
final class BurnOps {
  private final BurnPipeline pipeline;
  private final LedgerService ledger;

  BurnOps(BurnPipeline pipeline, LedgerService ledger) {
    this.pipeline = pipeline;
    this.ledger = ledger;
  }

  Result burn(Call call) throws OperationException {
    String fixture = call.text("fixture");
    String barcode = call.text("barcode");
    JsonNode a = call.args();
    return pipeline.burn(
        call,
        new BurnArguments(
            fixture,
            barcode,
            a.hasNonNull("order") ? a.get("order").asText() : null,
            a.hasNonNull("reworkReason") ? a.get("reworkReason").asText() : null));
  }

  Result trace(Call call) throws OperationException {
    String barcode = call.text("barcode");
    try {
      List<BurnRecord> burns = ledger.trace(barcode);
      ObjectNode data = Wire.object();
      data.put("barcode", barcode);
      ArrayNode arr = data.putArray("burns");
      for (BurnRecord b : burns) {
        arr.add(Wire.mapper().valueToTree(b.toMap()));
      }
      if (burns.isEmpty()) {
        return new Result(
            ExitCode.OK, "no burn of unit " + barcode + " is recorded on this station", data);
      }
      return Result.ok(data);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    }
  }

  Result units(Call call) throws OperationException {
    JsonNode a = call.args();
    BurnWriter.Format format;
    try {
      format = BurnWriter.Format.valueOf(a.path("format").asText("TABLE"));
    } catch (IllegalArgumentException e) {
      throw new OperationException(ExitCode.USAGE, "unknown output format " + a.path("format"));
    }
    try {
      UnitsQuery q =
          new UnitsQuery(
              call.text("firmware"),
              a.hasNonNull("version") ? a.get("version").asText() : null,
              instant(a, "since"),
              instant(a, "until"));
      long n = ledger.writeUnits(q, format, call.stdout());
      ObjectNode data = Wire.object();
      data.put("rows", n);
      return new Result(ExitCode.OK, "", data);
    } catch (IllegalArgumentException e) {
      throw new OperationException(ExitCode.USAGE, e.getMessage(), e);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    } catch (IOException e) {
      throw new OperationException(
          ExitCode.UNAVAILABLE, "the client went away: " + e.getMessage(), e);
    }
  }

  private static Instant instant(JsonNode a, String key) throws OperationException {
    if (!a.hasNonNull(key)) {
      return null;
    }
    String t = a.get(key).asText();
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw new OperationException(
            ExitCode.USAGE,
            "--" + key + " \"" + t + "\" is not a time; write 2026-11-21 or 2026-11-21T08:00:00Z");
      }
    }
  }
}
