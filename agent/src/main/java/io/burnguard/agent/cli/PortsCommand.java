package io.burnguard.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code burnguard ports}. */
@Command(
    name = "ports",
    mixinStandardHelpOptions = true,
    description =
        "Present USB and serial devices and the policy decision for each (security). Not built"
            + " yet.")
final class PortsCommand extends NotBuilt {
  @Mixin JsonOption json;

  @Mixin ClientOptions client;
}
