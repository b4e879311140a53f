package io.burnguard.agent.cli;

import picocli.CommandLine.Command;

/** {@code burnguard release sign}: the release side. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = "Release engineering: sign a firmware release for the designated server.",
    subcommands = ReleaseSignCommand.class)
final class ReleaseCommand {}
