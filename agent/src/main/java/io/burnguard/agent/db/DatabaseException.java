package io.burnguard.agent.db;

/** The database cannot be used right now; the message says why and what to do (exit 5). */
public final class DatabaseException extends Exception {
  public DatabaseException(String message) {
    super(message);
  }

  public DatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
