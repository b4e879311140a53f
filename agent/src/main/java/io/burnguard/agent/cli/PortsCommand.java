package io.burnguard.agent.cli;

import picocli.CommandLine.Command;

/** {@code burnguard ports}. */
@Command(
    name = "ports",
    mixinStandardHelpOptions = true,
    description =
        "Present USB and serial devices and the policy decision for each (security). Not built"
            + " yet.")
final class PortsCommand extends RemoteCommand {
  @Override
  String op() {
    return "ports";
  }
}
