package io.burnguard.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code burnguard order open|list|close}. */
@Command(
    name = "order",
    mixinStandardHelpOptions = true,
    description = "Work orders: what may be burned, into which model, how many, which barcodes.",
    subcommands = {OrderCommand.Open.class, OrderCommand.List_.class, OrderCommand.Close.class})
final class OrderCommand {

  @Command(
      name = "open",
      mixinStandardHelpOptions = true,
      description = "Open a work order (engineer). Not built yet.")
  static final class Open extends NotBuilt {
    @Parameters(index = "0", paramLabel = "ORDER", description = "Work order id.")
    String id;

    @Option(names = "--model", required = true)
    String model;

    @Option(names = "--firmware", required = true, paramLabel = "NAME")
    String firmware;

    @Option(names = "--version", required = true, paramLabel = "V")
    String version;

    @Option(names = "--quantity", required = true, paramLabel = "N")
    int quantity;

    @Option(names = "--barcode-rule", paramLabel = "REGEX")
    String barcodeRule;

    @Option(names = "--check-digit", paramLabel = "SCHEME")
    String checkDigit;

    @Mixin ClientOptions client;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List work orders. Not built yet.")
  static final class List_ extends NotBuilt {
    @Option(names = "--all", description = "Include closed orders.")
    boolean all;

    @Mixin JsonOption json;

    @Mixin ClientOptions client;
  }

  @Command(
      name = "close",
      mixinStandardHelpOptions = true,
      description = "Close a work order (engineer). Not built yet.")
  static final class Close extends NotBuilt {
    @Parameters(paramLabel = "ORDER")
    String id;

    @Mixin ClientOptions client;
  }
}
