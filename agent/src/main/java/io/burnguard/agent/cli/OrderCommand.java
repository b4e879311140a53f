package io.burnguard.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code burnguard order open|list|close}. */
@Command(
    name = "order",
    mixinStandardHelpOptions = true,
    description = "Work orders: what may be burned, into which model, how many, which barcodes.",
    subcommands = {OrderCommand.Open.class, OrderCommand.List_.class, OrderCommand.Close.class})
final class OrderCommand {

  @Command(name = "open", description = "Open a work order (engineer). Not built yet.")
  static final class Open extends RemoteCommand {
    @picocli.CommandLine.Mixin HelpOption help;

    @Override
    String op() {
      return "order.open";
    }

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
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List work orders. Not built yet.")
  static final class List_ extends RemoteCommand {
    @Override
    String op() {
      return "order.list";
    }

    @Option(names = "--all", description = "Include closed orders.")
    boolean all;
  }

  @Command(
      name = "close",
      mixinStandardHelpOptions = true,
      description = "Close a work order (engineer). Not built yet.")
  static final class Close extends RemoteCommand {
    @Override
    String op() {
      return "order.close";
    }

    @Parameters(paramLabel = "ORDER")
    String id;
  }
}
