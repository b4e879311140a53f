package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code burnguard units}: the reverse trace for recalls, streamed. */
@Command(
    name = "units",
    description =
        "Every unit that got a firmware (recalls; qa), as a table, --json or --csv. Streams: any"
            + " number of rows in constant memory.")
final class UnitsCommand extends RemoteCommand {
  @picocli.CommandLine.Mixin HelpOption help;

  @Option(names = "--firmware", required = true, paramLabel = "NAME", description = "Release name.")
  String firmware;

  @Option(names = "--version", paramLabel = "V", description = "Only this release version.")
  String version;

  @Option(
      names = "--since",
      paramLabel = "T",
      description = "From this time (2026-11-21 or 2026-11-21T08:00:00Z).")
  String since;

  @Option(names = "--until", paramLabel = "T", description = "Before this time.")
  String until;

  @Option(names = "--csv", description = "Print CSV.")
  boolean csv;

  @Override
  Operation op() {
    return Operation.UNITS;
  }

  @Override
  ObjectNode args() {
    ObjectNode a = Wire.object();
    a.put("firmware", firmware);
    if (version != null) {
      a.put("version", version);
    }
    if (since != null) {
      a.put("since", since);
    }
    if (until != null) {
      a.put("until", until);
    }
    a.put("format", csv ? "CSV" : json() ? "JSON" : "TABLE");
    return a;
  }

  /** The rows were streamed to stdout already; nothing more to print. */
  @Override
  void render(Result r, PrintWriter out) {}

  @Override
  boolean json() {
    return !csv && super.json();
  }

  @Override
  public Integer call() {
    // --json output is streamed by the daemon too; print only failures afterwards.
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Result r = Remote.call(client, op(), args(), out, err, !json());
    if (r.exit() != ExitCode.OK) {
      err.println("burnguard: " + Terminal.safe(r.message()));
    }
    out.flush();
    err.flush();
    return r.exit().code();
  }
}
