package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code burnguard alerts [--open] | alerts ack ID --note TEXT}. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = "Security alerts, newest first (security).",
    subcommands = AlertsCommand.Ack.class)
final class AlertsCommand extends RemoteCommand {
  @Option(names = "--open", description = "Only unacknowledged alerts.")
  boolean open;

  @Override
  Operation op() {
    return Operation.ALERTS_LIST;
  }

  @Override
  ObjectNode args() {
    ObjectNode a = Wire.object();
    a.put("open", open);
    return a;
  }

  @Override
  void render(Result r, PrintWriter out) {
    JsonNode alerts = r.data().path("alerts");
    if (alerts.isEmpty()) {
      out.println(open ? "no open alerts" : "no alerts");
      return;
    }
    for (JsonNode a : alerts) {
      out.printf(
          "#%-5d %-8s %-20s %s  %s%n",
          a.path("id").asLong(),
          a.path("severity").asText(),
          a.path("kind").asText(),
          a.path("created").asText(),
          a.path("message").asText());
      if (a.hasNonNull("acknowledgedBy")) {
        out.printf(
            "       acknowledged by %s at %s: %s%n",
            a.path("acknowledgedBy").asText(),
            a.path("acknowledgedAt").asText(),
            a.path("note").asText());
      }
    }
  }

  @Command(
      name = "ack",
      mixinStandardHelpOptions = true,
      description = "Acknowledge an alert with a note (security).")
  static final class Ack extends RemoteCommand {
    @Parameters(paramLabel = "ID")
    long id;

    @Option(names = "--note", required = true, paramLabel = "TEXT", description = "What was done.")
    String note;

    @Override
    Operation op() {
      return Operation.ALERTS_ACK;
    }

    @Override
    ObjectNode args() {
      ObjectNode a = Wire.object();
      a.put("id", id);
      a.put("note", note);
      return a;
    }
  }
}
