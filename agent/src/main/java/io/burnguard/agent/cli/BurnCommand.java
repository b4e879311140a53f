package io.burnguard.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code burnguard burn}. */
@Command(
    name = "burn",
    mixinStandardHelpOptions = true,
    description =
        "Burn one unit (operator): order and barcode checks, vetted and scanned image, ledger,"
            + " flash, read-back verify. Not built yet.")
final class BurnCommand extends RemoteCommand {
  @Override
  String op() {
    return "burn";
  }

  @Option(names = "--fixture", required = true, paramLabel = "ID")
  String fixture;

  @Option(names = "--barcode", required = true, paramLabel = "CODE")
  String barcode;

  @Option(names = "--order", paramLabel = "WO")
  String order;
}
