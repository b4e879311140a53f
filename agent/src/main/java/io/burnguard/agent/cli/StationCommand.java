package io.burnguard.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code burnguard station}: the line loop. */
@Command(
    name = "station",
    mixinStandardHelpOptions = true,
    description =
        "Station mode for the line: read barcodes from a scanner (serial port, or standard input"
            + " for a keyboard-wedge scanner) and burn each unit. Not built yet.")
final class StationCommand extends NotBuilt {
  @Option(names = "--fixture", required = true, paramLabel = "ID")
  String fixture;

  @Option(names = "--scanner", paramLabel = "PORT", description = "Serial barcode scanner port.")
  String scanner;

  @Mixin ClientOptions client;
}
