package io.burnguard.agent.alerts;

/** How urgent an alert is. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL
}
