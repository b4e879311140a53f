package io.burnguard.agent.fleet;

/** The central side refused or flagged what this station shipped; the message says why. */
public final class FleetRefused extends Exception {
  private static final long serialVersionUID = 1L;

  FleetRefused(String message) {
    super(message);
  }
}
