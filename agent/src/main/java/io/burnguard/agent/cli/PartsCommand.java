package io.burnguard.agent.cli;

import io.burnguard.agent.contract.Operation;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code burnguard parts ...}: key storage parts. */
@Command(
    name = "parts",
    mixinStandardHelpOptions = true,
    description = "Key storage parts: register, sanitize, scan, inventory, install, scrap.",
    subcommands = {
      PartsCommand.Register.class,
      PartsCommand.Sanitize.class,
      PartsCommand.Scan.class,
      PartsCommand.Inventory.class,
      PartsCommand.Install.class,
      PartsCommand.Scrap.class
    })
final class PartsCommand {
  /** Shared shape of the parts subcommands until the key-parts capability defines them. */
  abstract static class Part extends RemoteCommand {
    @Parameters(arity = "0..*", paramLabel = "ARG")
    List<String> args;

    private final Operation op;

    Part(Operation op) {
      this.op = op;
    }

    @Override
    Operation op() {
      return op;
    }
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description = "Register a key part (engineer). Not built yet.")
  static final class Register extends Part {
    Register() {
      super(Operation.PARTS_REGISTER);
    }
  }

  @Command(
      name = "sanitize",
      mixinStandardHelpOptions = true,
      description = "Format and verify a key part (engineer). Not built yet.")
  static final class Sanitize extends Part {
    Sanitize() {
      super(Operation.PARTS_SANITIZE);
    }
  }

  @Command(
      name = "scan",
      mixinStandardHelpOptions = true,
      description = "Virus-scan a key part (engineer). Not built yet.")
  static final class Scan extends Part {
    Scan() {
      super(Operation.PARTS_SCAN);
    }
  }

  @Command(
      name = "inventory",
      mixinStandardHelpOptions = true,
      description = "List key parts and where they are. Not built yet.")
  static final class Inventory extends Part {
    Inventory() {
      super(Operation.PARTS_INVENTORY);
    }
  }

  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description = "Record a key part installed into a unit (engineer). Not built yet.")
  static final class Install extends Part {
    Install() {
      super(Operation.PARTS_INSTALL);
    }
  }

  @Command(
      name = "scrap",
      mixinStandardHelpOptions = true,
      description = "Scrap a key part, witnessed by security. Not built yet.")
  static final class Scrap extends Part {
    Scrap() {
      super(Operation.PARTS_SCRAP);
    }
  }
}
