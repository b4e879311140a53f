package io.burnguard.agent.cli;

import io.burnguard.agent.audit.Timestamps;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.fleet.AlertFilter;
import io.burnguard.agent.fleet.FleetAuditRun;
import io.burnguard.agent.fleet.FleetQueries;
import io.burnguard.agent.fleet.UnitFilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The read commands of {@code burnguard fleet} (qa, security; docs/fleet.md): each prints a table,
 * {@code --json} or {@code --csv}.
 */
final class FleetQueryCommands {
  private FleetQueryCommands() {}

  /** A read command: rows to the chosen output. */
  abstract static class Query extends FleetCommand.Sub {
    @Mixin JsonOption json;

    @Option(names = "--csv", description = "Print CSV.")
    boolean csv;

    /** Streams the rows to {@code sink}; a non-OK exit code when the result is a failure. */
    abstract ExitCode rows(Connection c, FleetOutput sink) throws SQLException, IOException;

    ExitCode exit = ExitCode.OK;

    @Override
    void run(Connection c, PrintWriter out) throws SQLException, IOException {
      FleetOutput.Format f =
          csv
              ? FleetOutput.Format.CSV
              : json.json ? FleetOutput.Format.JSON : FleetOutput.Format.TABLE;
      FleetOutput sink = FleetOutput.of(f, out);
      exit = rows(c, sink);
      sink.end();
    }

    @Override
    public Integer call() {
      int code = super.call();
      return code == ExitCode.OK.code() ? exit.code() : code;
    }
  }

  static Instant time(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Timestamps.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "--since: " + e.getMessage());
    }
  }

  @Command(name = "trace", description = "Every burn of a barcode on any station, newest first.")
  static final class Trace extends Query {
    @Parameters(index = "0", paramLabel = "BARCODE")
    String barcode;

    @Override
    ExitCode rows(Connection c, FleetOutput sink) throws SQLException, IOException {
      FleetQueries.trace(c, barcode, sink);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "units",
      description = "Every unit whose burn with a firmware PASSED, on any station (recall).")
  static final class Units extends Query {
    @Option(names = "--firmware", required = true, paramLabel = "NAME")
    String firmware;

    @Option(names = "--version", paramLabel = "V", description = "Only this release version.")
    String version;

    @Option(
        names = "--since",
        paramLabel = "T",
        description = "Burns started from this time (2026-11-21 or 2026-11-21T08:00:00Z).")
    String since;

    @Option(names = "--station", paramLabel = "ID", description = "Only this station.")
    String station;

    @Override
    ExitCode rows(Connection c, FleetOutput sink) throws SQLException, IOException {
      FleetQueries.units(c, new UnitFilter(firmware, version, time(since), station), sink);
      return ExitCode.OK;
    }
  }

  @Command(name = "alerts", description = "Alerts of every station, newest first.")
  static final class Alerts extends Query {
    @Option(names = "--station", paramLabel = "ID", description = "Only this station.")
    String station;

    @Option(
        names = "--since",
        paramLabel = "T",
        description = "Raised from this time (2026-11-21 or 2026-11-21T08:00:00Z).")
    String since;

    @Option(names = "--severity", paramLabel = "S", description = "INFO, WARNING or CRITICAL.")
    String severity;

    @Option(names = "--open", description = "Only alerts not acknowledged on the station.")
    boolean open;

    @Override
    ExitCode rows(Connection c, FleetOutput sink) throws SQLException, IOException {
      String sev = severity == null ? null : severity.toUpperCase(Locale.ROOT);
      FleetQueries.alerts(c, new AlertFilter(station, time(since), sev, open), sink);
      return ExitCode.OK;
    }
  }

  @Command(name = "status", description = "Stations: shipped, last seen, lag, flags.")
  static final class Status extends Query {
    @Override
    ExitCode rows(Connection c, FleetOutput sink) throws SQLException, IOException {
      FleetQueries.status(c, sink);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "audit",
      description =
          "Verify each station's shipped chain and anchored heads with its registered key; exit 3"
              + " when any station fails.")
  static final class Audit extends Query {
    @Option(names = "--station", paramLabel = "ID", description = "Only this station.")
    String station;

    @Option(
        names = "--threads",
        paramLabel = "N",
        defaultValue = "2",
        description = "Stations verified at once, each on its own connection (default 2).")
    int threads;

    @Override
    ExitCode rows(Connection c, FleetOutput sink) throws SQLException, IOException {
      if (threads < 1 || threads > 32) {
        throw new CliException(ExitCode.USAGE, "--threads " + threads + ": give 1 to 32");
      }
      try {
        FleetAuditRun.Summary s = FleetAuditRun.run(conn::connect, station, threads, sink);
        return s.failed() == 0 ? ExitCode.OK : ExitCode.REFUSED;
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, e.getMessage());
      }
    }
  }
}
