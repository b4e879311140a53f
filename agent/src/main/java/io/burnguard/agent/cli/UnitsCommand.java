package io.burnguard.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code burnguard units}: the reverse trace for recalls. */
@Command(
    name = "units",
    description = "Every unit that got a firmware (recalls; qa). Not built yet.")
final class UnitsCommand extends RemoteCommand {
  @picocli.CommandLine.Mixin HelpOption help;

  @Override
  String op() {
    return "units";
  }

  @Option(names = "--firmware", required = true, paramLabel = "NAME")
  String firmware;

  @Option(names = "--version", paramLabel = "V")
  String version;

  @Option(names = "--since", paramLabel = "T")
  String since;

  @Option(names = "--until", paramLabel = "T")
  String until;

  @Option(names = "--csv", description = "Print CSV.")
  boolean csv;
}
