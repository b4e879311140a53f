package io.burnguard.agent.cli;

import io.burnguard.agent.contract.Operation;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code burnguard policy generate|check|reload}. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "USB port policy in USBGuard rule syntax (security).",
    subcommands = {
      PolicyCommand.Generate.class,
      PolicyCommand.Check.class,
      PolicyCommand.Reload.class
    })
final class PolicyCommand {
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = "Write rules that allow the devices present now. Not built yet.")
  static final class Generate extends RemoteCommand {
    @Override
    Operation op() {
      return Operation.POLICY_GENERATE;
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Validate a rules file. Not built yet.")
  static final class Check extends NotBuilt {
    @Parameters(arity = "0..1", paramLabel = "FILE")
    Path file;

    @Mixin JsonOption json;
  }

  @Command(
      name = "reload",
      mixinStandardHelpOptions = true,
      description = "Make the daemon load the rules file again. Not built yet.")
  static final class Reload extends RemoteCommand {
    @Override
    Operation op() {
      return Operation.POLICY_RELOAD;
    }
  }
}
