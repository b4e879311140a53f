package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code burnguard ports [--json] | ports events --since T [--json]}. */
@Command(
    name = "ports",
    mixinStandardHelpOptions = true,
    description =
        "Present USB devices with the policy decision and the rule that made it (security).",
    subcommands = PortsCommand.Events.class)
final class PortsCommand extends RemoteCommand {
  @Override
  Operation op() {
    return Operation.PORTS;
  }

  @Override
  void render(Result r, PrintWriter out) {
    JsonNode d = r.data();
    out.printf("mode %s, policy %s%n", d.path("mode").asText(), d.path("policy").asText());
    for (JsonNode n : d.path("devices")) {
      out.printf(
          "%-10s %-9s %-7s %-30s %s%n",
          n.path("port").asText(),
          n.path("id").asText(),
          n.path("action").asText(),
          "\"" + n.path("name").asText() + "\"",
          n.path("line").asInt() == 0
              ? "implicit"
              : "line " + n.path("line").asInt() + ": " + n.path("rule").asText());
    }
    for (JsonNode n : d.path("refused")) {
      out.printf("%-10s refused: %s%n", n.path("port").asText(), n.path("reason").asText());
    }
    serial(d.path("serial"), out);
    if (d.hasNonNull("hotplugFailure")) {
      out.println(
          "hotplug reader stopped: "
              + d.path("hotplugFailure").asText()
              + "; new devices stay unauthorized until the daemon restarts");
    }
  }

  /** One line per serial port: node, fixture, USB device and decision, holders, last use. */
  private static void serial(JsonNode ports, PrintWriter out) {
    if (ports.isEmpty()) {
      out.println("serial ports: none");
      return;
    }
    out.println("serial ports:");
    for (JsonNode p : ports) {
      JsonNode usb = p.path("usb");
      StringBuilder users = new StringBuilder();
      for (JsonNode u : p.path("users")) {
        users.append(users.length() == 0 ? "" : ", ");
        users.append("PID ").append(u.path("pid").asLong()).append(" (");
        users.append(u.path("command").asText()).append(", ").append(u.path("user").asText());
        users.append(')');
      }
      out.printf(
          "%-14s %-10s %-24s %s%s%n",
          p.path("node").asText(),
          p.path("fixture").isNull() ? "-" : "fixture " + p.path("fixture").asText(),
          usb.isMissingNode()
              ? (p.path("driver").asText().isEmpty() ? "-" : p.path("driver").asText())
              : "usb "
                  + usb.path("port").asText()
                  + " "
                  + usb.path("id").asText()
                  + " "
                  + usb.path("action").asText("undecided"),
          users.length() == 0 ? "not open" : "held by " + users,
          p.path("lastUse").isNull()
              ? ""
              : "; last use "
                  + p.path("lastUse").path("at").asText()
                  + " "
                  + p.path("lastUse").path("action").asText());
    }
  }

  @Command(
      name = "events",
      mixinStandardHelpOptions = true,
      description = "Port decisions recorded since a time, oldest first (security).")
  static final class Events extends RemoteCommand {
    @Option(
        names = "--since",
        required = true,
        paramLabel = "T",
        description = "From this time: 2026-11-21 or 2026-11-21T08:00:00Z.")
    String since;

    @Override
    Operation op() {
      return Operation.PORTS_EVENTS;
    }

    @Override
    ObjectNode args() {
      ObjectNode a = Wire.object();
      a.put("since", since);
      return a;
    }

    @Override
    void render(Result r, PrintWriter out) {
      JsonNode events = r.data().path("events");
      if (events.isEmpty()) {
        out.println("no port events since " + since);
        return;
      }
      for (JsonNode e : events) {
        out.printf(
            "%s %-8s %-7s %-8s %-10s %-9s %s%s%n",
            e.path("at").asText(),
            e.path("kind").asText(),
            e.path("mode").asText(),
            e.path("action").asText(),
            e.path("port").asText(),
            e.path("deviceId").asText("-"),
            e.path("ruleLine").asInt() == 0
                ? e.path("rule").asText()
                : "line " + e.path("ruleLine").asInt() + ": " + e.path("rule").asText(),
            e.path("applied").asBoolean() ? " (applied)" : "");
      }
    }
  }
}
