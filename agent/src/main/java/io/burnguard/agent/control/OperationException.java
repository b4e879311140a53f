package io.burnguard.agent.control;

import io.burnguard.agent.contract.ExitCode;

/** An expected refusal or failure of an operation: becomes a result with its exit code. */
public class OperationException extends Exception {
  private final ExitCode exit;

  public OperationException(ExitCode exit, String message) {
    super(message);
    this.exit = exit;
  }

  public OperationException(ExitCode exit, String message, Throwable cause) {
    super(message, cause);
    this.exit = exit;
  }

  /** The exit code the CLI ends with. */
  public ExitCode exit() {
    return exit;
  }
}
