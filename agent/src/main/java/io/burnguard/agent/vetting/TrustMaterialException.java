package io.burnguard.agent.vetting;

/**
 * Trust material cannot be loaded or its settings contradict each other: nothing is trusted (fail
 * closed). A configuration problem for the person who set it up (exit 2), not a refusal of a
 * release.
 */
public final class TrustMaterialException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String input;

  TrustMaterialException(String input, String message, Throwable cause) {
    super(message, cause);
    this.input = input;
  }

  /** The setting at fault as the user wrote it: a station.yaml key or a command-line flag. */
  public String input() {
    return input;
  }
}
