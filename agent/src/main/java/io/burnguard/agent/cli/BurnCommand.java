package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code burnguard burn}: one unit, barcode to verified flash. */
@Command(
    name = "burn",
    mixinStandardHelpOptions = true,
    description = {
      "Burn one unit (operator): work order and barcode checks, the vetted release (signatures,"
          + " withdrawal list), the virus-scan verdict for the current signatures, the ledger,"
          + " the flash and the device's read-back. Ends with PASS or FAIL and the reason.",
      "Ctrl-C stops watching, not the burn: the daemon finishes and records it; see `trace`."
    })
final class BurnCommand extends RemoteCommand {
  @Option(names = "--fixture", required = true, paramLabel = "ID", description = "The fixture.")
  String fixture;

  @Option(names = "--barcode", required = true, paramLabel = "CODE", description = "The unit.")
  String barcode;

  @Option(
      names = "--order",
      paramLabel = "WO",
      description = "The work order (default: the one open order for the fixture's model).")
  String order;

  @Option(
      names = "--rework",
      paramLabel = "REASON",
      description = "Burn a unit that already PASSED in this order again, and why.")
  String rework;

  @Override
  Operation op() {
    return Operation.BURN;
  }

  @Override
  ObjectNode args() {
    ObjectNode a = Wire.object();
    a.put("fixture", fixture);
    a.put("barcode", barcode);
    if (order != null) {
      a.put("order", order);
    }
    if (rework != null) {
      a.put("reworkReason", rework);
    }
    return a;
  }

  @Override
  public Integer call() {
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Burns, prints progress and the verdict; picocli's path and {@link QuickBurn}'s. */
  int run(PrintWriter out, PrintWriter err) {
    Timing.mark("options parsed");
    Result r = Remote.call(client, op(), args(), out, err);
    if (json()) {
      return Remote.print(r, true, out, err);
    }
    out.println();
    out.println(banner(r));
    out.flush();
    return r.exit().code();
  }

  /** The operator's verdict: one plain, large line, then the reason. */
  static String banner(Result r) {
    boolean pass = r.exit() == ExitCode.OK;
    String word = pass ? "PASS" : "FAIL";
    String bar = "=".repeat(24);
    String why = Terminal.safe(r.message());
    if (!pass && !why.startsWith("FAIL")) {
      why = "FAIL  " + why;
    }
    return bar + "  " + word + "  " + bar + System.lineSeparator() + why;
  }
}
