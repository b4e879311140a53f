package io.burnguard.config;

/** The roles of docs/architecture.md; station.yaml maps OS groups to these. */
public enum Role {
  /** Burns units, sees its own station's traces. */
  OPERATOR,
  /** Traces units, runs recalls and exports. */
  QA,
  /** Alerts, acknowledgements, ports, USB policy, audit, witnessing scrapping. */
  SECURITY,
  /** Work orders, firmware fetch, parts sanitize, config reload. */
  ENGINEER;

  /** The name as written in station.yaml and shown to users. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
