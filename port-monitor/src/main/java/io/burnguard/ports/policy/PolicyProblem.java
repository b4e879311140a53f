package io.burnguard.ports.policy;

/**
 * One problem in a rules file.
 *
 * @param source the file as given by the user
 * @param line 1-based line
 * @param column 1-based column, counted in bytes as USBGuard counts them
 * @param message what was found, what was expected and how to fix it
 * @param text the offending line, escaped for display
 */
public record PolicyProblem(String source, int line, int column, String message, String text) {

  /** {@code file:line:column: message}, the form editors and grep understand. */
  @Override
  public String toString() {
    return source + ":" + line + ":" + column + ": " + message;
  }
}
