package io.burnguard.agent.cli;

import io.burnguard.agent.contract.ExitCode;

/** An expected failure of a command: printed as one message (no stack trace) with its exit code. */
public final class CliException extends RuntimeException {
  private final ExitCode exit;

  public CliException(ExitCode exit, String message) {
    super(message);
    this.exit = exit;
  }

  public ExitCode exit() {
    return exit;
  }
}
