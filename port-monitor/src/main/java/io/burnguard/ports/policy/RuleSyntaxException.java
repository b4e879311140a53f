package io.burnguard.ports.policy;

/** A rule line is not valid; {@code column} is 1-based, counted in bytes like USBGuard. */
final class RuleSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int column;

  RuleSyntaxException(int column, String message) {
    super(message);
    this.column = column;
  }

  int column() {
    return column;
  }
}
