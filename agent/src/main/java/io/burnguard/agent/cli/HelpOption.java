package io.burnguard.agent.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h/--help} alone, for commands whose own {@code --version} option (a release version)
 * would clash with picocli's standard {@code --version}.
 */
final class HelpOption {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;
}
