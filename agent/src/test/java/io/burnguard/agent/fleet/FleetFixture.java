package io.burnguard.agent.fleet;

import java.nio.file.Path;

/**
 * A private PostgreSQL fleet ledger for tests and benchmarks outside this package (the real burn
 * with shipping on and off, {@code e2e.ShippingBurnBench}).
 */
public final class FleetFixture implements AutoCloseable {
  private final PrivatePostgres pg;

  private FleetFixture(PrivatePostgres pg) {
    this.pg = pg;
  }

  /** Starts the server with the schema and a security reader. */
  public static FleetFixture start() throws Exception {
    return new FleetFixture(PrivatePostgres.startWithReader("sec_fixture", "burnguard_security"));
  }

  /**
   * Registers the station whose ledger is in {@code dataDir} (its daemon stopped) with its key and
   * a client certificate for {@code role}; returns its {@code fleet:} section for station.yaml.
   */
  public String register(String station, String role, Path dataDir, String interval)
      throws Exception {
    try (SimStation s = new SimStation(station, role, dataDir)) {
      s.register(pg);
    }
    return pg.fleetYaml(role, interval);
  }

  /** Entries of {@code station} stored centrally. */
  public long stored(String station) {
    return pg.stored(station);
  }

  @Override
  public void close() throws Exception {
    pg.close();
  }
}
