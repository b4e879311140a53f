package io.burnguard.agent.daemon;

import io.burnguard.agent.contract.ExitCode;

/** The daemon cannot start; the message says why and what to do, the exit code how bad. */
public final class DaemonException extends Exception {
  private final ExitCode exit;

  public DaemonException(String message) {
    this(ExitCode.UNAVAILABLE, message, null);
  }

  public DaemonException(String message, Throwable cause) {
    this(ExitCode.UNAVAILABLE, message, cause);
  }

  public DaemonException(ExitCode exit, String message, Throwable cause) {
    super(message, cause);
    this.exit = exit;
  }

  /** The exit code {@code agent run} ends with. */
  public ExitCode exit() {
    return exit;
  }
}
