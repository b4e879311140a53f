package io.burnguard.agent.cli;

import picocli.CommandLine.Command;

/**
 * The {@code burnguard} command: the tree of docs/architecture.md's CLI contract. A new subcommand
 * goes into this list and into {@link Subcommands#named} (a test keeps the two equal).
 */
@Command(
    name = BurnguardCommand.NAME,
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "BurnGuard: lets only signed, virus-scanned firmware from the designated server reach a"
          + " device, and records every burn against the unit's barcode.",
      "",
      "Most commands ask the BurnGuard daemon on this station; it decides what you may do from"
          + " your OS groups (roles: operator, qa, security, engineer)."
    },
    subcommands = {
      AgentCommand.class,
      ConfigCommand.class,
      DoctorCommand.class,
      FirmwareCommand.class,
      ReleaseCommand.class,
      OrderCommand.class,
      BurnCommand.class,
      StationCommand.class,
      TraceCommand.class,
      UnitsCommand.class,
      AlertsCommand.class,
      PortsCommand.class,
      PolicyCommand.class,
      PartsCommand.class,
      AuditCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  ok",
      "  1  internal error (a bug; the daemon log has details)",
      "  2  usage or configuration error, or a capability not built yet",
      "  3  refused by security policy (signature, withdrawal, malware, port policy, role)",
      "  4  device or burn failure",
      "  5  a dependency is unavailable (clamd, designated server, database, daemon)"
    })
final class BurnguardCommand {
  static final String NAME = "burnguard";
}
