package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.ports.policy.PolicyGenerator;
import io.burnguard.ports.policy.PolicyProblem;
import io.burnguard.ports.policy.UsbPolicy;
import io.burnguard.ports.usb.UsbInventory;
import io.burnguard.ports.usb.UsbProblem;
import io.burnguard.ports.usb.UsbSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code burnguard policy check|generate|show|reload}: USB policy in USBGuard's rule language. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "USB port policy in USBGuard rule syntax (security).",
    subcommands = {
      PolicyCommand.Generate.class,
      PolicyCommand.Check.class,
      PolicyCommand.Show.class,
      PolicyCommand.Reload.class
    })
final class PolicyCommand {
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description =
          "Print rules that allow the USB devices present now, like `usbguard generate-policy`"
              + " (offline: reads sysfs, needs no daemon).")
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--sysfs",
        paramLabel = "ROOT",
        description = "The sysfs root to read (default /sys).")
    Path sysfs = UsbInventory.DEFAULT_SYSFS_ROOT;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      UsbSnapshot snap;
      try {
        snap = UsbInventory.at(sysfs).scan();
      } catch (IOException e) {
        err.println("burnguard: cannot list USB devices under " + sysfs + ": " + e.getMessage());
        err.flush();
        return ExitCode.UNAVAILABLE.code();
      }
      out.print(PolicyGenerator.generate(snap.devices(), PolicyGenerator.Options.defaults()));
      for (UsbProblem p : snap.refused()) {
        err.println("burnguard: no rule for port " + p.port() + ": " + p.reason());
      }
      out.flush();
      err.flush();
      return ExitCode.OK.code();
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Validate a rules file offline: every problem with FILE:LINE:COLUMN; exit 2 when there"
              + " is one.")
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The rules file.")
    Path file;

    @Mixin JsonOption json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String text;
      try {
        if (Files.size(file) > UsbPolicy.MAX_BYTES) {
          err.println("burnguard: " + file + " is larger than " + UsbPolicy.MAX_BYTES + " bytes");
          err.flush();
          return ExitCode.USAGE.code();
        }
        text = Files.readString(file, StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        err.println("burnguard: cannot read " + file + ": " + e.getMessage());
        err.flush();
        return ExitCode.USAGE.code();
      }
      List<PolicyProblem> problems = UsbPolicy.check(text, file.toString());
      if (json.json) {
        ObjectNode n = Wire.object();
        n.put("file", file.toString());
        ArrayNode arr = n.putArray("problems");
        problems.forEach(p -> arr.add(Wire.mapper().valueToTree(p)));
        out.println(Remote.pretty(n));
      } else if (problems.isEmpty()) {
        out.println(file + ": no problems");
      } else {
        for (PolicyProblem p : problems) {
          out.println(p);
          out.println("    " + p.text());
        }
        out.println(file + ": " + problems.size() + " problem(s); nothing was loaded");
      }
      out.flush();
      return problems.isEmpty() ? ExitCode.OK.code() : ExitCode.USAGE.code();
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "The rules the daemon enforces now (security).")
  static final class Show extends RemoteCommand {
    @Override
    Operation op() {
      return Operation.POLICY_SHOW;
    }

    @Override
    void render(Result r, PrintWriter out) {
      JsonNode d = r.data();
      out.printf("# %s mode, from %s%n", d.path("mode").asText(), d.path("source").asText());
      d.path("rules").forEach(rule -> out.println(rule.asText()));
    }
  }

  @Command(
      name = "reload",
      mixinStandardHelpOptions = true,
      description =
          "Make the daemon load ports.rulesFile again; a file with errors changes nothing"
              + " (security).")
  static final class Reload extends RemoteCommand {
    @Override
    Operation op() {
      return Operation.POLICY_RELOAD;
    }
  }
}
