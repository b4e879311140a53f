package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.doctor.Check;
import io.burnguard.agent.doctor.PostureChecks;
import io.burnguard.agent.doctor.StationDoctor;
import io.burnguard.config.StationConfig;
import io.burnguard.config.StationConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code burnguard doctor}: the station's posture. Asks the daemon; when the daemon cannot be
 * reached, still checks what the CLI can see by itself and says the daemon is down (exit 5).
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Show the station's posture, one line per check (OK, WARN or FAIL, with the fix): config"
          + " valid, database writable, socket permissions, free disk, clamd and its signatures,"
          + " release root, server CA, CRLs (present, not expired), trust files' owners and"
          + " modes, fixture ports present, port policy mode, and in the daemon the withdrawal"
          + " list's age and the audit chain verified to its head.",
      "Without the daemon, the checks the CLI can make alone, and exit 5.",
      "Exit 0 when nothing fails (WARN included); otherwise the exit code of the first failing"
          + " check: 2 configuration (a configured file missing), 3 policy (expired, untrusted,"
          + " writable by others, chain broken), 4 device (a fixture port missing), 5 a dependency"
          + " (daemon, clamd, database)."
    })
final class DoctorCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Mixin JsonOption json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Result r = Remote.call(client, Operation.DOCTOR, Wire.object(), out, err);
    JsonNode data = r.data();
    ExitCode exit = r.exit();
    if (exit == ExitCode.UNAVAILABLE && !data.has("checks")) {
      data = offline(r.message());
    } else if (!data.has("checks")) {
      return Remote.print(r, json.json, out, err);
    }
    if (json.json) {
      ((ObjectNode) data).put("exit", exit.code());
      out.println(Remote.pretty(data));
    } else {
      render(data, out);
    }
    out.flush();
    return exit.code();
  }

  /** What the CLI can check alone when the daemon does not answer. */
  private JsonNode offline(String why) {
    Path cfgFile = client.configFile();
    List<Check> checks = new ArrayList<>();
    checks.add(
        Check.fail("daemon", why, "start the daemon, then run doctor again", ExitCode.UNAVAILABLE));
    checks.add(PostureChecks.config(cfgFile));
    Path socket = client.socketPath();
    checks.add(PostureChecks.socket(socket));
    if (Files.isReadable(cfgFile)) {
      try {
        StationConfig cfg = StationConfigLoader.load(cfgFile);
        if (Files.isDirectory(cfg.station().dataDir())) {
          checks.add(PostureChecks.disk(cfg.station().dataDir()));
        }
        checks.addAll(StationDoctor.offlineChecks(cfg, cfgFile, Clock.systemUTC()));
      } catch (io.burnguard.config.ConfigException e) {
        // already reported by the config check
      }
    }
    ObjectNode n = Wire.object();
    n.put("daemon", "unreachable");
    ArrayNode arr = n.putArray("checks");
    checks.forEach(c -> arr.add(c.toJson()));
    return n;
  }

  static void render(JsonNode data, PrintWriter out) {
    if (data.has("station")) {
      out.printf(
          "BurnGuard doctor: station %s (you: %s, roles: %s)%n",
          Terminal.safe(data.path("station").asText()),
          Terminal.safe(data.path("caller").path("user").asText()),
          data.path("caller").path("roles").toString());
    } else {
      out.println("BurnGuard doctor: the daemon is not reachable; local checks only");
    }
    for (JsonNode c : data.path("checks")) {
      Check k = Check.fromJson(c);
      out.printf(Locale.ROOT, "  %-5s %-12s %s%n", k.status(), k.name(), Terminal.safe(k.detail()));
      if (!k.fix().isEmpty()) {
        out.printf(Locale.ROOT, "  %-5s %-12s fix: %s%n", "", "", Terminal.safe(k.fix()));
      }
    }
  }
}
