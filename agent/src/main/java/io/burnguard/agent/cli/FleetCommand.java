package io.burnguard.agent.cli;

import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.fleet.FleetConnection;
import io.burnguard.agent.fleet.FleetSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code burnguard fleet}: the factory-wide ledger in PostgreSQL (docs/fleet.md). Connects directly
 * (no daemon): QA's desk is not a burning station. The connection comes from a small properties
 * file ({@code --connection}, keys url, role, cert, key, ca) or the same-named options.
 */
@Command(
    name = "fleet",
    description =
        "The fleet ledger in PostgreSQL: set up, register stations, trace, recall, alerts and"
            + " audit.",
    subcommands = {
      FleetCommand.InitDb.class,
      FleetCommand.AddStation.class,
      FleetCommand.Ack.class,
      FleetQueryCommands.Trace.class,
      FleetQueryCommands.Units.class,
      FleetQueryCommands.Alerts.class,
      FleetQueryCommands.Status.class,
      FleetQueryCommands.Audit.class
    },
    mixinStandardHelpOptions = true)
final class FleetCommand {
  static final Path DEFAULT_CONNECTION = Path.of("/etc/burnguard/fleet-client.properties");

  /** Where and as whom to connect. */
  static final class Conn {
    @Option(
        names = "--connection",
        paramLabel = "FILE",
        description =
            "Properties file"
                + " (url, role, cert, key, ca); default /etc/burnguard/fleet-client.properties.")
    Path file;

    @Option(names = "--url", description = "jdbc:postgresql://host:port/db")
    String url;

    @Option(names = "--role", description = "PostgreSQL role (CN of the certificate).")
    String role;

    @Option(names = "--cert", description = "Client certificate (PEM).")
    Path cert;

    @Option(names = "--key", description = "Client key (PKCS#8 DER).")
    Path key;

    @Option(names = "--ca", description = "The server's CA (pinned).")
    Path ca;

    Connection open() {
      try {
        return connect();
      } catch (SQLException e) {
        throw new CliException(ExitCode.UNAVAILABLE, e.getMessage());
      }
    }

    /** Another connection like {@link #open} (for commands that work in parallel). */
    Connection connect() throws SQLException {
      return target().open();
    }

    private FleetConnection target() {
      Properties p = new Properties();
      Path f = file != null ? file : DEFAULT_CONNECTION;
      if (file != null || Files.exists(f)) {
        try (InputStream in = Files.newInputStream(f)) {
          p.load(in);
        } catch (IOException e) {
          throw new CliException(ExitCode.USAGE, "cannot read " + f + ": " + e.getMessage());
        }
      }
      return new FleetConnection(
          pick(url, p, "url", f),
          pick(role, p, "role", f),
          Path.of(pick(cert, p, "cert", f)),
          Path.of(pick(key, p, "key", f)),
          Path.of(pick(ca, p, "ca", f)));
    }

    private static String pick(Object option, Properties p, String name, Path f) {
      String v = option != null ? option.toString() : p.getProperty(name);
      if (v == null || v.isBlank()) {
        throw new CliException(
            ExitCode.USAGE,
            "no fleet " + name + ": give --" + name + " or set " + name + " in " + f);
      }
      return v.trim();
    }
  }

  /** A fleet subcommand: connect, run, map database errors to exit codes. */
  abstract static class Sub implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Conn conn;
    @Mixin HelpOption help;

    abstract void run(Connection c, PrintWriter out) throws SQLException, IOException;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (Connection c = conn.open()) {
        run(c, out);
      } catch (SQLException e) {
        boolean denied = "42501".equals(e.getSQLState());
        throw new CliException(
            denied ? ExitCode.REFUSED : ExitCode.UNAVAILABLE,
            (denied ? "refused by the fleet ledger: " : "fleet ledger: ") + e.getMessage());
      } catch (IOException e) {
        throw new CliException(ExitCode.USAGE, e.getMessage());
      }
      out.flush();
      return ExitCode.OK.code();
    }
  }

  @Command(name = "init-db", description = "Create or upgrade the central schema (schema owner).")
  static final class InitDb extends Sub {
    @Override
    void run(Connection c, PrintWriter out) throws SQLException {
      out.println("fleet schema at version " + FleetSchema.migrate(c));
    }
  }

  @Command(name = "add-station", description = "Register a station: its login role and audit key.")
  static final class AddStation extends Sub {
    @Parameters(index = "0", paramLabel = "ID", description = "The station id (station.id).")
    String id;

    @Option(
        names = "--audit-key",
        required = true,
        paramLabel = "PEM",
        description = "The station's Ed25519 public key (burnguard audit key).")
    Path auditKey;

    @Option(
        names = "--station-role",
        paramLabel = "ROLE",
        description = "Login role (default st_<id>, lowercase, '_' for other characters).")
    String stationRole;

    @Override
    void run(Connection c, PrintWriter out) throws SQLException, IOException {
      String r =
          stationRole != null
              ? stationRole
              : "st_" + id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
      try {
        FleetSchema.addStation(c, id, r, StationKey.readPublicKey(auditKey));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, e.getMessage());
      }
      out.println(
          "station "
              + id
              + " registered as role "
              + r
              + "; issue it a client certificate with CN="
              + r);
    }
  }

  @Command(name = "ack", description = "Acknowledge a flagged station (security role).")
  static final class Ack extends Sub {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    void run(Connection c, PrintWriter out) throws SQLException {
      int n = FleetSchema.acknowledge(c, id);
      out.println(n + " flag(s) of station " + id + " acknowledged");
    }
  }
}
