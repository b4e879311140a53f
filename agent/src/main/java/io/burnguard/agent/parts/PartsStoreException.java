package io.burnguard.agent.parts;

/** The parts record could not be read or written; nothing was changed. */
public final class PartsStoreException extends Exception {
  private static final long serialVersionUID = 1L;

  public PartsStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
