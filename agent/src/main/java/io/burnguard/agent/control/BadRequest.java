package io.burnguard.agent.control;

/** A request line that is not a valid request envelope; its message is sent back as is. */
final class BadRequest extends Exception {
  private static final long serialVersionUID = 1L;

  BadRequest(String message) {
    super(message);
  }
}
