package io.burnguard.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code burnguard alerts [--open] | alerts ack ID --note TEXT}. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = "Security alerts (security). Not built yet.",
    subcommands = AlertsCommand.Ack.class)
final class AlertsCommand extends NotBuilt {
  @Option(names = "--open", description = "Only unacknowledged alerts.")
  boolean open;

  @Mixin JsonOption json;

  @Mixin ClientOptions client;

  @Command(
      name = "ack",
      mixinStandardHelpOptions = true,
      description = "Acknowledge an alert with a note (security). Not built yet.")
  static final class Ack extends NotBuilt {
    @Parameters(paramLabel = "ID")
    long id;

    @Option(names = "--note", required = true, paramLabel = "TEXT")
    String note;

    @Mixin ClientOptions client;
  }
}
