package io.burnguard.agent.contract;

/** The exit codes of the CLI contract (README, "Using the CLI"; docs/architecture.md). */
public enum ExitCode {
  /** Success. */
  OK(0),
  /** An internal error: a bug or an unexpected failure; the daemon log has details. */
  INTERNAL(1),
  /** Usage or configuration error, or a capability not built yet. */
  USAGE(2),
  /** Refused by security policy: signature, withdrawal, malware, port policy, role. */
  REFUSED(3),
  /** A device or burn failure. */
  DEVICE(4),
  /** A dependency is unavailable: clamd, designated server, database, daemon. */
  UNAVAILABLE(5);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The process exit status. */
  public int code() {
    return code;
  }

  /** The exit code for a process status, or {@link #INTERNAL} for an unknown one. */
  public static ExitCode of(int code) {
    for (ExitCode e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return INTERNAL;
  }
}
