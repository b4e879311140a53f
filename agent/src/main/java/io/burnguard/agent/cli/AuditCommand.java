package io.burnguard.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code burnguard audit verify|head}. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "The tamper-evident audit chain (security).",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Head.class})
final class AuditCommand {
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = "Walk the chain and name the first broken link. Not built yet.")
  static final class Verify extends RemoteCommand {
    @Override
    String op() {
      return "audit.verify";
    }

    @Option(names = "--head", paramLabel = "FILE", description = "A head exported earlier.")
    Path head;
  }

  @Command(
      name = "head",
      mixinStandardHelpOptions = true,
      description = "Print the signed head, for anchoring elsewhere. Not built yet.")
  static final class Head extends RemoteCommand {
    @Override
    String op() {
      return "audit.head";
    }
  }
}
