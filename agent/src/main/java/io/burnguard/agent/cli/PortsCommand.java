package io.burnguard.agent.cli;

import io.burnguard.agent.contract.Operation;
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
  Operation op() {
    return Operation.PORTS;
  }
}
