package io.burnguard.agent.cli;

import picocli.CommandLine.Option;

/** {@code --json} for read commands: machine-readable output on stdout. */
final class JsonOption {
  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;
}
