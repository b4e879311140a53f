package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code burnguard audit verify|head}. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "The tamper-evident audit chain (security).",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Head.class})
final class AuditCommand {
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Walk the audit chain, recompute every hash from the rows and check the station's"
            + " signatures; compare against the signed head beside the database and any head"
            + " exported earlier (--head). Then rebuild every table the chain projects (burns,"
            + " work orders, alerts, admin events, scan verdicts, vetting state, release catalog,"
            + " key parts) from the chain and compare it row by row. Names the first broken entry"
            + " or each edited, inserted or deleted row with table, key, column and chained value"
            + " (exit 3); exit 0 with the counts when intact.",
        "--unit BARCODE checks only that unit's burns and their entries against the signed head.",
        "Asks the daemon; with --db it checks a copy of a station database offline instead."
      })
  static final class Verify extends RemoteCommand {
    @Option(
        names = "--head",
        paramLabel = "FILE",
        description = "A head exported earlier (repeatable).")
    List<Path> heads = new ArrayList<>();

    @Option(names = "--db", paramLabel = "FILE", description = "Check this database file offline.")
    Path db;

    @Option(
        names = "--key",
        paramLabel = "PUB.pem",
        description = "With --db: the station's registered public key.")
    Path key;

    @Option(
        names = "--all-signatures",
        description = "Check every entry's signature, not a sample.")
    boolean allSignatures;

    @Option(
        names = "--unit",
        paramLabel = "BARCODE",
        description = "Verify only this unit's burns and chain entries against the signed head.")
    String unit;

    @Override
    Operation op() {
      return Operation.AUDIT_VERIFY;
    }

    @Override
    ObjectNode args() {
      ObjectNode a = Wire.object();
      ArrayNode hs = a.putArray("heads");
      for (Path h : heads) {
        try {
          hs.add(Files.readString(h, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new CliException(
              ExitCode.USAGE, "cannot read the head file " + h + ": " + e.getMessage());
        }
      }
      a.put("allSignatures", allSignatures);
      if (unit != null) {
        a.put("unit", unit);
      }
      return a;
    }

    @Override
    public Integer call() {
      if (db == null) {
        return super.call();
      }
      AuditVerifyCommand offline = new AuditVerifyCommand();
      offline.db = db;
      offline.heads = heads;
      offline.key = key;
      offline.allSignatures = allSignatures;
      offline.unit = unit;
      offline.json = json();
      offline.spec = spec;
      return offline.call();
    }

    @Override
    void render(Result r, PrintWriter out) {
      out.println(Terminal.safe(r.message()));
    }
  }

  @Command(
      name = "head",
      mixinStandardHelpOptions = true,
      description = "Print the signed head of the chain (one JSON line), for anchoring elsewhere.")
  static final class Head extends RemoteCommand {
    @Override
    Operation op() {
      return Operation.AUDIT_HEAD;
    }

    @Override
    void render(Result r, PrintWriter out) {
      out.println(r.data().toString());
    }
  }
}
