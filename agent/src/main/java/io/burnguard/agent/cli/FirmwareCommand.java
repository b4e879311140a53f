package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code burnguard firmware fetch|list|verify}. */
@Command(
    name = "firmware",
    mixinStandardHelpOptions = true,
    description = "Firmware releases: fetch and vet from the designated server, list, verify.",
    subcommands = {
      FirmwareCommand.Fetch.class,
      FirmwareCommand.List_.class,
      FirmwareVerifyCommand.class
    })
final class FirmwareCommand {

  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description =
          "Download a release from the designated server, verify its signatures and scan it into"
              + " the local cache (engineer). Progress is shown while downloading.")
  static final class Fetch extends RemoteCommand {
    @Override
    Operation op() {
      return Operation.FIRMWARE_FETCH;
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "Release name.")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "Release version.")
    String version;

    @Override
    ObjectNode args() {
      ObjectNode a = Wire.object();
      a.put("name", name);
      a.put("version", version);
      return a;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the vetted releases this station has fetched.")
  static final class List_ extends RemoteCommand {
    @Override
    Operation op() {
      return Operation.FIRMWARE_LIST;
    }

    @Override
    void render(Result r, PrintWriter out) {
      JsonNode rel = r.data().path("releases");
      if (rel.isEmpty()) {
        out.println(
            "no releases fetched yet; an engineer runs `burnguard firmware fetch NAME VERSION`");
        return;
      }
      out.printf("%-24s %-12s %12s  %-16s %s%n", "NAME", "VERSION", "BYTES", "SHA256", "SIGNERS");
      for (JsonNode e : rel) {
        List<String> signers = new ArrayList<>();
        e.path("signers").forEach(s -> signers.add(s.path("name").asText(s.asText())));
        out.printf(
            "%-24s %-12s %12d  %-16s %s%n",
            e.path("name").asText(),
            e.path("version").asText(),
            e.path("length").asLong(),
            e.path("sha256")
                .asText()
                .substring(0, Math.min(16, e.path("sha256").asText().length())),
            String.join(", ", signers));
      }
    }
  }
}
