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

/** {@code burnguard order open|list|close}. */
@Command(
    name = "order",
    mixinStandardHelpOptions = true,
    description = "Work orders: what may be burned, into which model, how many, which barcodes.",
    subcommands = {OrderCommand.Open.class, OrderCommand.List_.class, OrderCommand.Close.class})
final class OrderCommand {

  @Command(
      name = "open",
      description = {
        "Open a work order (engineer). Burns are refused outside an open order, for barcodes"
            + " that fail its rule, and past its quantity (counting PASSED units).",
        "The barcode rule and check digit default to the model's in station.yaml."
      })
  static final class Open extends RemoteCommand {
    @picocli.CommandLine.Mixin HelpOption help;

    @Parameters(index = "0", paramLabel = "ORDER", description = "Work order id.")
    String id;

    @Option(names = "--model", required = true, description = "Device model, as in station.yaml.")
    String model;

    @Option(
        names = "--firmware",
        required = true,
        paramLabel = "NAME",
        description = "Release name.")
    String firmware;

    @Option(
        names = "--version",
        required = true,
        paramLabel = "V",
        description = "Release version.")
    String version;

    @Option(names = "--quantity", required = true, paramLabel = "N", description = "Units to burn.")
    long quantity;

    @Option(
        names = "--barcode-rule",
        paramLabel = "REGEX",
        description = "Regular expression a barcode must match entirely.")
    String barcodeRule;

    @Option(
        names = "--check-digit",
        paramLabel = "SCHEME",
        description = "none, gs1-mod10, iso7064-mod11-2 or iso7064-mod37-2.")
    String checkDigit;

    @Option(
        names = "--no-rework",
        description = "Never burn a unit twice in this order, even with a rework reason.")
    boolean noRework;

    @Override
    Operation op() {
      return Operation.ORDER_OPEN;
    }

    @Override
    ObjectNode args() {
      ObjectNode a = Wire.object();
      a.put("id", id);
      a.put("model", model);
      a.put("firmware", firmware);
      a.put("version", version);
      a.put("quantity", quantity);
      if (barcodeRule != null) {
        a.put("barcodeRule", barcodeRule);
      }
      if (checkDigit != null) {
        a.put("checkDigit", checkDigit);
      }
      a.put("noRework", noRework);
      return a;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List open work orders (--all: closed ones too).")
  static final class List_ extends RemoteCommand {
    @Option(names = "--all", description = "Include closed orders.")
    boolean all;

    @Override
    Operation op() {
      return Operation.ORDER_LIST;
    }

    @Override
    ObjectNode args() {
      ObjectNode a = Wire.object();
      a.put("all", all);
      return a;
    }

    @Override
    void render(Result r, PrintWriter out) {
      JsonNode orders = r.data().path("orders");
      if (orders.isEmpty()) {
        out.println("no " + (all ? "" : "open ") + "work orders");
        return;
      }
      out.printf(
          "%-14s %-10s %-24s %-10s %9s  %-6s %s%n",
          "ORDER", "MODEL", "FIRMWARE", "VERSION", "PASSED", "STATE", "BARCODES");
      for (JsonNode o : orders) {
        out.printf(
            "%-14s %-10s %-24s %-10s %4d/%-4d  %-6s %s%n",
            o.path("id").asText(),
            o.path("model").asText(),
            o.path("firmware").asText(),
            o.path("version").asText(),
            o.path("passed").asLong(),
            o.path("quantity").asLong(),
            o.path("open").asBoolean() ? "open" : "closed",
            o.path("barcodeRule").asText());
      }
    }
  }

  @Command(
      name = "close",
      mixinStandardHelpOptions = true,
      description = "Close a work order (engineer); no more burns under it.")
  static final class Close extends RemoteCommand {
    @Parameters(paramLabel = "ORDER")
    String id;

    @Option(names = "--note", paramLabel = "TEXT", description = "Why it is closed.")
    String note;

    @Override
    Operation op() {
      return Operation.ORDER_CLOSE;
    }

    @Override
    ObjectNode args() {
      ObjectNode a = Wire.object();
      a.put("id", id);
      a.put("note", note == null ? "" : note);
      return a;
    }
  }
}
