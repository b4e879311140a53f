package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.doctor.FileTrust;
import io.burnguard.agent.fixtures.DriverRule;
import io.burnguard.config.ConfigException;
import io.burnguard.config.ConfigProblem;
import io.burnguard.config.StationConfig;
import io.burnguard.config.StationConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code burnguard config check|reload}. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Check or reload the station configuration (station.yaml).",
    subcommands = {ConfigCommand.Check.class, ConfigCommand.Reload.class})
final class ConfigCommand {

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Validate a station.yaml and print every problem at once, each with file, line, field"
            + " and what to write instead. Each fixture is checked against its driver: the"
            + " driver exists, its settings are known and well-typed, required ones are present,"
            + " and its model's recipe uses only defined variables. Offline: needs no daemon.",
        "Exit 0 when valid, 2 when not."
      })
  static final class Check implements Callable<Integer> {
    @Parameters(
        arity = "0..1",
        paramLabel = "FILE",
        description = "The file (default: $BURNGUARD_CONFIG or /etc/burnguard/station.yaml).")
    Path file;

    @Mixin JsonOption json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      ClientOptions o = new ClientOptions();
      o.config = file;
      Path f = o.configFile();
      PrintWriter out = spec.commandLine().getOut();
      StationConfig cfg = null;
      List<ConfigProblem> problems = List.of();
      List<String> untrusted = List.of();
      try {
        cfg = StationConfigLoader.load(f, DriverRule.forBuiltInDrivers());
        // The daemon refuses these too (issue 12.9): run as root or as the daemon's user.
        untrusted =
            FileTrust.problems(cfg, f.toAbsolutePath().normalize(), FileTrust.daemonOwners());
      } catch (ConfigException e) {
        problems = e.problems();
      }
      if (json.json) {
        ObjectNode n = Wire.object();
        n.put("file", f.toString());
        n.put("valid", problems.isEmpty() && untrusted.isEmpty());
        ArrayNode arr = n.putArray("problems");
        for (ConfigProblem p : problems) {
          ObjectNode pn = arr.addObject();
          pn.put("line", p.line());
          pn.put("column", p.column());
          pn.put("path", p.path());
          pn.put("message", p.message());
          pn.put("fix", p.fix());
        }
        for (String u : untrusted) {
          ObjectNode pn = arr.addObject();
          pn.put("message", u);
          pn.put("fix", FileTrust.FIX);
        }
        out.println(Remote.pretty(n));
      } else if (!untrusted.isEmpty()) {
        for (String u : untrusted) {
          out.println(f + ": file trust: " + u);
        }
        out.println("  fix: " + FileTrust.FIX);
        out.printf(
            "%d file trust problem%s; the daemon will not start with these files.%n",
            untrusted.size(), untrusted.size() == 1 ? "" : "s");
      } else if (problems.isEmpty()) {
        out.printf(
            "%s is valid: station %s, %d fixture(s), %d model(s), %d role mapping(s)%n",
            f, cfg.station().id(), cfg.fixtures().size(), cfg.models().size(), cfg.roles().size());
      } else {
        for (ConfigProblem p : problems) {
          out.println(p);
        }
        out.printf(
            "%d problem%s; the daemon will not start with this file.%n",
            problems.size(), problems.size() == 1 ? "" : "s");
      }
      out.flush();
      return problems.isEmpty() && untrusted.isEmpty() ? ExitCode.OK.code() : ExitCode.USAGE.code();
    }
  }

  @Command(
      name = "reload",
      mixinStandardHelpOptions = true,
      description = {
        "Ask the daemon to reload station.yaml and the trust files it names (engineer); the"
            + " same as SIGHUP to the daemon (systemctl reload burnguard).",
        "The file is checked exactly as at daemon start; when it is invalid, when its trust"
            + " files do not load, or when it changes station.id, dataDir, socket or"
            + " socketGroup (which need a restart), nothing changes and every problem is"
            + " printed with file:line (exit 2). Burns already running finish with the settings"
            + " they started with. Every reload, applied or refused, is recorded in the audit"
            + " chain."
      })
  static final class Reload extends RemoteCommand {
    @Override
    Operation op() {
      return Operation.CONFIG_RELOAD;
    }
  }
}
