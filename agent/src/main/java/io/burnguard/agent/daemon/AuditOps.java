package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.audit.AuditChainBroken;
import io.burnguard.agent.audit.AuditHead;
import io.burnguard.agent.audit.AuditVerification;
import io.burnguard.agent.audit.AuditVerifier;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.Denial;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.LedgerService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's audit requests: {@code audit head} and {@code audit verify}, and the chain entry for
 * a denied request.
 */
final class AuditOps {
  private static final Logger log = LoggerFactory.getLogger(AuditOps.class);

  private final Database db;
  private final LedgerService ledger;

  AuditOps(Database db, LedgerService ledger) {
    this.db = db;
    this.ledger = ledger;
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
                + " verified against the signed head "
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

  /**
   * Records a refusal in the audit chain: one entry for one or many coalesced repeats (the
   * admin_events row is written by the caller; kind and payload from {@link AdminEvents}).
   */
  void chainDenial(Denial d) {
    try {
      ledger
          .chain()
          .write(
              c -> {
                ledger
                    .chain()
                    .append(c, AdminEvents.chainKind(d), d.request(), AdminEvents.payload(d));
                return null;
              });
    } catch (DatabaseException e) {
      log.error(
          "cannot chain the refusal of {} for {}: {}",
          d.request(),
          d.caller().user(),
          e.getMessage());
    }
  }
}
