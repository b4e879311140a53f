package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.alerts.Alert;
import io.burnguard.agent.alerts.AlertRefusal;
import io.burnguard.agent.audit.AuditChainBroken;
import io.burnguard.agent.audit.AuditHead;
import io.burnguard.agent.audit.AuditVerification;
import io.burnguard.agent.audit.AuditVerifier;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.BurnWriter;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.ledger.UnitsQuery;
import io.burnguard.agent.orders.BarcodeRule;
import io.burnguard.agent.orders.CheckDigit;
import io.burnguard.agent.orders.DuplicatePolicy;
import io.burnguard.agent.orders.OrderSpec;
import io.burnguard.agent.orders.WorkOrder;
import io.burnguard.agent.orders.WorkOrderRefusal;
import io.burnguard.config.StationConfig;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The daemon's ledger requests: work orders, trace, units, alerts and the audit chain. Thin: parses
 * arguments, calls {@link LedgerService}, maps its refusals to exit codes.
 */
final class LedgerOps {
  private final StationConfig config;
  private final Database db;
  private final LedgerService ledger;

  LedgerOps(StationConfig config, Database db, LedgerService ledger) {
    this.config = config;
    this.db = db;
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
        return java.time.LocalDate.parse(t).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw new OperationException(
            ExitCode.USAGE,
            "--" + key + " \"" + t + "\" is not a time; write 2026-11-21 or 2026-11-21T08:00:00Z");
      }
    }
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

  Result auditHead(Call call) throws OperationException {
    try {
      return Result.ok(Wire.mapper().readTree(ledger.head().toJson()));
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    } catch (IOException e) {
      throw new OperationException(ExitCode.INTERNAL, e.getMessage(), e);
    }
  }

  /**
   * Verifies the station's own chain against the head file beside the database and any heads the
   * client sent (exported earlier, read by the CLI).
   */
  Result auditVerify(Call call) throws OperationException {
    try {
      List<AuditVerifier.NamedHead> heads = new ArrayList<>();
      int i = 0;
      for (JsonNode h : call.args().path("heads")) {
        String source = "exported head #" + (++i) + " sent by " + call.caller().user();
        heads.add(new AuditVerifier.NamedHead(source, AuditHead.parse(h.asText(), source)));
      }
      byte[] pub =
          StationKey.readPublicKey(
              db.file().toAbsolutePath().resolveSibling(StationKey.PUBLIC_FILE));
      AuditVerifier verifier =
          new AuditVerifier(pub, call.args().path("allSignatures").asBoolean(false));
      if (call.args().hasNonNull("unit")) { // issue 11: one unit against the signed head
        var u = verifier.verifyUnit(db.file(), call.args().path("unit").asText(), heads);
        return new Result(
            ExitCode.OK,
            "unit "
                + u.barcode()
                + ": chain entries "
                + u.entries()
                + " verified against the"
                + " signed head "
                + u.headSource()
                + " (entry "
                + u.headSequence()
                + ")",
            Wire.mapper().valueToTree(u));
      }
      AuditVerification v = verifier.verifyDatabaseAgainst(db.file(), heads);
      ObjectNode data = Wire.mapper().valueToTree(v);
      data.put("intact", true);
      return new Result(
          ExitCode.OK,
          String.format(
              Locale.ROOT,
              "audit chain intact: %d entries, last %d; %d signatures checked; heads compared: %d",
              v.entries(),
              v.lastSequence(),
              v.signaturesChecked(),
              v.headsChecked().size()),
          data);
    } catch (AuditChainBroken e) {
      ObjectNode data = Wire.object();
      data.put("intact", false);
      data.put("problem", e.problem().name());
      data.put("sequence", e.sequence());
      return new Result(
          ExitCode.REFUSED,
          "AUDIT CHAIN BROKEN at entry "
              + e.sequence()
              + " ("
              + e.problem()
              + "): "
              + e.getMessage(),
          data);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    } catch (IOException e) {
      throw new OperationException(ExitCode.USAGE, e.getMessage(), e);
    }
  }

  /** Records a denial in the audit chain (the admin_events row is written by the caller). */
  void chainDenial(String user, String op, String needed) {
    try {
      ledger
          .chain()
          .write(
              c -> {
                ledger
                    .chain()
                    .append(
                        c, "control.denied", op, Map.of("user", user, "op", op, "needed", needed));
                return null;
              });
    } catch (DatabaseException e) {
      org.slf4j.LoggerFactory.getLogger(LedgerOps.class)
          .error("cannot chain the denial of {} for {}: {}", op, user, e.getMessage());
    }
  }
}
