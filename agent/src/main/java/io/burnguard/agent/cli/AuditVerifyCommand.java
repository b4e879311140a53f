package io.burnguard.agent.cli;

import io.burnguard.agent.audit.AuditChainBroken;
import io.burnguard.agent.audit.AuditHead;
import io.burnguard.agent.audit.AuditVerification;
import io.burnguard.agent.audit.AuditVerifier;
import io.burnguard.agent.audit.Canonical;
import io.burnguard.agent.audit.RowDifference;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.audit.UnitVerification;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.db.DatabaseException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code burnguard audit verify}: walks the audit chain of a database file offline (no daemon),
 * names the first broken link, and compares against the head file beside the database and any
 * exported heads. Exit 0 intact, 3 tampering found, 5 database unreadable, 2 key or head file
 * unusable.
 */
@Command(
    name = "verify",
    description = {
      "Verify the audit chain: recompute every entry from its row, check links, signatures and"
          + " the signed heads; names the first broken sequence. Then rebuild every table the"
          + " chain projects (burns, work orders, alerts, admin events, scan verdicts, vetting"
          + " state, release catalog, key parts) from the chain and compare it row by row; names"
          + " each edited, inserted or deleted row with its table, key, column and chained value.",
      "Runs offline against the database file; no daemon needed."
    },
    mixinStandardHelpOptions = true)
public final class AuditVerifyCommand implements Callable<Integer> {
  /** Where the daemon keeps its database unless configured otherwise. */
  public static final Path DEFAULT_DB = Path.of("/var/lib/burnguard/burnguard.db");

  @Spec CommandSpec spec;

  @Option(
      names = "--db",
      paramLabel = "FILE",
      description = "database file (default: ${DEFAULT-VALUE})")
  Path db = DEFAULT_DB;

  @Option(
      names = "--head",
      paramLabel = "FILE",
      description = "an exported head to compare against (repeatable)")
  List<Path> heads = new ArrayList<>();

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description =
          "the station's registered public key (PEM); default: "
              + StationKey.PUBLIC_FILE
              + " beside the database")
  Path key;

  @Option(
      names = "--all-signatures",
      description = "verify every entry's signature (slower) instead of a logarithmic search")
  boolean allSignatures;

  @Option(names = "--json", description = "print the result as JSON")
  boolean json;

  @Option(
      names = "--unit",
      paramLabel = "BARCODE",
      description = "verify only this unit's burns and their entries against the signed head")
  String unit;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path keyFile = key != null ? key : db.toAbsolutePath().resolveSibling(StationKey.PUBLIC_FILE);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("database", db.toString());
    int code;
    try {
      byte[] pub = StationKey.readPublicKey(keyFile);
      if (unit != null) {
        code = unit(new AuditVerifier(pub, allSignatures), r, out);
        if (json) {
          out.println(Canonical.json(r));
        }
        out.flush();
        return code;
      }
      AuditVerification v = new AuditVerifier(pub, allSignatures).verifyDatabase(db, heads);
      r.put("intact", true);
      r.put("entries", v.entries());
      r.put("lastSequence", v.lastSequence());
      r.put("lastHash", v.lastHash());
      r.put("signaturesChecked", v.signaturesChecked());
      r.put("headsChecked", v.headsChecked());
      r.put("rowsCompared", v.rowsCompared());
      if (!json) {
        out.printf(
            "audit chain intact: %d entries, last %d (%s); %d signatures checked; heads: %s;"
                + " %d table rows match the chain%n",
            v.entries(),
            v.lastSequence(),
            v.lastHash(),
            v.signaturesChecked(),
            v.headsChecked().isEmpty() ? "none" : String.join(", ", v.headsChecked()),
            v.rowsCompared());
      }
      code = ExitCode.OK.code();
    } catch (AuditChainBroken e) {
      r.put("intact", false);
      r.put("problem", e.problem().name());
      r.put("sequence", e.sequence());
      r.put("message", e.getMessage());
      if (!e.differences().isEmpty()) {
        r.put("differenceCount", e.differenceCount());
        r.put("differences", e.differences().stream().map(AuditVerifyCommand::difference).toList());
      }
      if (!json) {
        err.println(
            "AUDIT CHAIN BROKEN at entry "
                + e.sequence()
                + " ("
                + e.problem()
                + "): "
                + e.getMessage());
      }
      code = ExitCode.REFUSED.code();
    } catch (DatabaseException e) {
      r.put("error", e.getMessage());
      if (!json) {
        err.println(e.getMessage());
      }
      code = ExitCode.UNAVAILABLE.code();
    } catch (IOException e) {
      r.put("error", e.getMessage());
      if (!json) {
        err.println(
            e.getMessage() + " (the public key is " + keyFile + "; give another with --key)");
      }
      code = ExitCode.USAGE.code();
    }
    if (json) {
      out.println(Canonical.json(r));
    }
    out.flush();
    err.flush();
    return code;
  }

  private static Map<String, Object> difference(RowDifference d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("change", d.change().name());
    m.put("table", d.table());
    m.put("key", d.key());
    m.put("column", d.column());
    m.put("tableValue", d.tableValue());
    m.put("chainedValue", d.chainedValue());
    m.put("sequence", d.sequence());
    m.put("kind", d.kind());
    return m;
  }

  /** {@code --unit}: throws like the full verification, so the caller maps it the same way. */
  private int unit(AuditVerifier verifier, Map<String, Object> r, PrintWriter out)
      throws AuditChainBroken, IOException, DatabaseException {
    List<AuditVerifier.NamedHead> exported = new ArrayList<>();
    for (Path p : heads) {
      exported.add(new AuditVerifier.NamedHead(p.toString(), AuditHead.read(p)));
    }
    UnitVerification u = verifier.verifyUnit(db, unit, exported);
    r.put("intact", true);
    r.put("unit", u.barcode());
    r.put("burns", u.burns());
    r.put("entries", u.entries());
    r.put("headSequence", u.headSequence());
    r.put("head", u.headSource());
    if (!json) {
      out.printf(
          "unit %s: %d burn(s), chain entries %s verified against the signed head %s (entry %d)%n",
          u.barcode(), u.burns().size(), u.entries(), u.headSource(), u.headSequence());
    }
    return ExitCode.OK.code();
  }
}
