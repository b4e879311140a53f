package io.burnguard.agent.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code burnguard release sign}: the release side. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = "Release engineering: sign a firmware release for the designated server.",
    subcommands = ReleaseCommand.Sign.class)
final class ReleaseCommand {

  @Command(
      name = "sign",
      description =
          "Write manifest.json and manifest.json.p7s for an image; each --key adds a SignerInfo."
              + " Not built yet.")
  static final class Sign extends NotBuilt {
    @picocli.CommandLine.Mixin HelpOption help;

    @Option(names = "--image", required = true, paramLabel = "F")
    Path image;

    @Option(names = "--name", required = true, paramLabel = "N")
    String name;

    @Option(names = "--version", required = true, paramLabel = "V")
    String version;

    @Option(names = "--model", required = true, paramLabel = "X")
    List<String> models;

    @Option(names = "--key", required = true, paramLabel = "K.p12")
    List<Path> keys;
  }
}
