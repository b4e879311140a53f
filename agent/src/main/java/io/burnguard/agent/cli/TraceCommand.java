package io.burnguard.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code burnguard trace BARCODE}. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = "A unit's full burn history, newest first (operator, qa). Not built yet.")
final class TraceCommand extends RemoteCommand {
  @Override
  String op() {
    return "trace";
  }

  @Parameters(paramLabel = "BARCODE")
  String barcode;
}
