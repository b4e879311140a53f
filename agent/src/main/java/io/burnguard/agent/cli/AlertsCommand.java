package io.burnguard.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code burnguard alerts [--open] | alerts ack ID --note TEXT}. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = "Security alerts (security). Not built yet.",
    subcommands = AlertsCommand.Ack.class)
final class AlertsCommand extends RemoteCommand {
  @Override
  String op() {
    return "alerts.list";
  }

  @Option(names = "--open", description = "Only unacknowledged alerts.")
  boolean open;

  @Command(
      name = "ack",
      mixinStandardHelpOptions = true,
      description = "Acknowledge an alert with a note (security). Not built yet.")
  static final class Ack extends RemoteCommand {
    @Override
    String op() {
      return "alerts.ack";
    }

    @Parameters(paramLabel = "ID")
    long id;

    @Option(names = "--note", required = true, paramLabel = "TEXT")
    String note;
  }
}
