package io.burnguard.agent.cli;

/**
 * The top-level subcommands by name, without loading the others: {@link Main} builds only the one a
 * command line names (issue 17). Must list exactly {@link BurnguardCommand}'s subcommands, which
 * stay the source of the help, man pages and completion; {@code SubcommandsTest} checks that.
 */
final class Subcommands {
  private Subcommands() {}

  /** The class of the top-level subcommand {@code name}, or null when there is none. */
  static Class<?> named(String name) {
    switch (name) {
      case "agent":
        return AgentCommand.class;
      case "config":
        return ConfigCommand.class;
      case "doctor":
        return DoctorCommand.class;
      case "firmware":
        return FirmwareCommand.class;
      case "release":
        return ReleaseCommand.class;
      case "order":
        return OrderCommand.class;
      case "burn":
        return BurnCommand.class;
      case "station":
        return StationCommand.class;
      case "trace":
        return TraceCommand.class;
      case "units":
        return UnitsCommand.class;
      case "alerts":
        return AlertsCommand.class;
      case "ports":
        return PortsCommand.class;
      case "policy":
        return PolicyCommand.class;
      case "parts":
        return PartsCommand.class;
      case "audit":
        return AuditCommand.class;
      default:
        return null;
    }
  }
}
