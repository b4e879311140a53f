package io.burnguard.agent.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code burnguard firmware fetch|list|verify}. */
@Command(
    name = "firmware",
    mixinStandardHelpOptions = true,
    description = "Firmware releases: fetch and vet from the designated server, list, verify.",
    subcommands = {
      FirmwareCommand.Fetch.class,
      FirmwareCommand.List_.class,
      FirmwareCommand.Verify.class
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

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Check a release offline (no daemon): the signature is read from MANIFEST.p7s. Without"
              + " --crl it refuses unless --no-crl is given. Not built yet.")
  static final class Verify extends NotBuilt {
    @Option(names = "--manifest", required = true, paramLabel = "M")
    Path manifest;

    @Option(names = "--image", required = true, paramLabel = "F")
    Path image;

    @Option(names = "--trust", required = true, paramLabel = "ROOT.pem")
    Path trust;

    @Option(names = "--crl", paramLabel = "C")
    List<Path> crls;

    @Option(names = "--model", paramLabel = "X")
    String model;

    @Option(names = "--threshold", paramLabel = "K")
    Integer threshold;

    @Option(names = "--no-crl")
    boolean noCrl;

    @Mixin JsonOption json;
  }
}
