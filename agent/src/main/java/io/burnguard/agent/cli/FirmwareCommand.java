package io.burnguard.agent.cli;

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
              + " the local cache (engineer). Not built yet.")
  static final class Fetch extends RemoteCommand {
    @Override
    String op() {
      return "firmware.fetch";
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "Release name.")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "Release version.")
    String version;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the vetted releases in the local cache. Not built yet.")
  static final class List_ extends RemoteCommand {
    @Override
    String op() {
      return "firmware.list";
    }
  }
}
