package io.burnguard.agent.fleet;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

/**
 * How to reach the fleet PostgreSQL as one role: always TLS with {@code sslmode=verify-full}
 * against a pinned CA, authenticated by a client certificate (docs/fleet.md).
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/db}
 * @param role the PostgreSQL role (the CN of the client certificate)
 * @param clientCert client certificate, PEM
 * @param clientKey its private key, PKCS#8 DER
 * @param serverCa the only CA the server's certificate may chain to
 */
public record FleetConnection(
    String jdbcUrl, String role, Path clientCert, Path clientKey, Path serverCa) {
  private static final int CONNECT_TIMEOUT_S = 10;
  private static final int SOCKET_TIMEOUT_S = 60;

  public FleetConnection {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(role, "role");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "fleet jdbcUrl " + jdbcUrl + " is not a PostgreSQL JDBC URL (jdbc:postgresql://...)");
    }
  }

  /** The driver properties: TLS verify-full, the pinned CA, the client certificate. */
  Properties properties() {
    Properties p = new Properties();
    p.setProperty("user", role);
    p.setProperty("ssl", "true");
    p.setProperty("sslmode", "verify-full");
    p.setProperty("sslrootcert", serverCa.toString());
    p.setProperty("sslcert", clientCert.toString());
    p.setProperty("sslkey", clientKey.toString());
    p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_S));
    p.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_S));
    p.setProperty("reWriteBatchedInserts", "true");
    p.setProperty("ApplicationName", "burnguard-fleet");
    // No JIT compilation of fleet statements: they are short (one batch, one barcode) or stream
    // by index, and with row estimates of a 10M-entry table their cost passes jit_above_cost, so
    // PostgreSQL would spend tens of milliseconds compiling a query that runs in one.
    // No parallel workers either: starting them costs milliseconds, more than these statements
    // take, and a statement whose estimate is off (no statistics yet) would otherwise get them.
    p.setProperty("options", "-c jit=off -c max_parallel_workers_per_gather=0");
    return p;
  }

  /**
   * Opens a connection.
   *
   * @throws SQLException when the server is unreachable or refuses the certificate or role
   */
  public Connection open() throws SQLException {
    try {
      return DriverManager.getConnection(jdbcUrl, properties());
    } catch (SQLException e) {
      throw new SQLException(
          "cannot connect to the fleet ledger "
              + jdbcUrl
              + " as "
              + role
              + ": "
              + e.getMessage()
              + "; check the server, the client certificate (CN must be the role) and the CA",
          e.getSQLState(),
          e);
    }
  }
}
