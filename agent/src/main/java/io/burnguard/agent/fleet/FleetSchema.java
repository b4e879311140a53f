package io.burnguard.agent.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central schema of the fleet ledger and its administration (issue 16, docs/fleet.md).
 *
 * <p>Design: versioned SQL scripts {@code fleet/migration/V<n>__<name>.sql} on the classpath,
 * listed in {@link #MIGRATIONS}, each applied in its own transaction by the schema owner and
 * recorded in {@code fleet_schema_version} (the same scheme as the station database, simpler than a
 * migration library for one script). A schema newer than this build is refused.
 */
public final class FleetSchema {
  private static final Logger log = LoggerFactory.getLogger(FleetSchema.class);

  /** Migration scripts in order. Append only; never edit a released one. */
  static final List<String> MIGRATIONS =
      List.of(
          "V1__fleet.sql", "V2__batch_ship.sql", "V3__recall_index.sql", "V4__recall_columns.sql");

  private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern STATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private FleetSchema() {}

  /**
   * Brings the schema up to date on {@code owner}'s connection; returns the version reached.
   *
   * @throws SQLException when a migration fails (that migration is rolled back) or the schema is
   *     newer than this build
   */
  public static int migrate(Connection owner) throws SQLException {
    return migrate(owner, MIGRATIONS.size());
  }

  /** Brings the schema up to version {@code upTo} (tests of an upgrade from an older one). */
  static int migrate(Connection owner, int upTo) throws SQLException {
    try (Statement s = owner.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS fleet_schema_version (version integer PRIMARY KEY,"
              + " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    }
    int current = version(owner);
    if (current > MIGRATIONS.size()) {
      throw new SQLException(
          "the fleet schema is at version "
              + current
              + " but this build knows "
              + MIGRATIONS.size()
              + "; upgrade burnguard before running fleet commands against it");
    }
    for (int v = current + 1; v <= upTo; v++) {
      apply(owner, v, MIGRATIONS.get(v - 1));
    }
    return Math.max(current, upTo);
  }

  static int version(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT coalesce(max(version), 0) FROM fleet_schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void apply(Connection c, int version, String name) throws SQLException {
    String sql = script(name);
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement();
        PreparedStatement rec =
            c.prepareStatement("INSERT INTO fleet_schema_version(version, name) VALUES (?, ?)")) {
      s.execute(sql);
      rec.setInt(1, version);
      rec.setString(2, name);
      rec.executeUpdate();
      c.commit();
      log.info("fleet schema migrated to version {} ({})", version, name);
    } catch (SQLException e) {
      c.rollback();
      throw new SQLException(
          "fleet migration " + name + " failed and was rolled back: " + e.getMessage(), e);
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static String script(String name) throws SQLException {
    String path = "/fleet/migration/" + name;
    try (InputStream in = FleetSchema.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new SQLException("fleet migration " + path + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SQLException("cannot read fleet migration " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Registers a station: creates its login role (member of {@code burnguard_station}, no password:
   * it logs in by client certificate) and records its Ed25519 audit key.
   *
   * @param publicKey the raw 32-byte key
   * @throws IllegalArgumentException when the station id or role name is not valid
   */
  public static void addStation(Connection owner, String stationId, String role, byte[] publicKey)
      throws SQLException {
    if (!STATION.matcher(stationId).matches()) {
      throw new IllegalArgumentException(
          "station id '" + stationId + "' is not valid (letters, digits, '.', '_', '-')");
    }
    if (!ROLE.matcher(role).matches()) {
      throw new IllegalArgumentException(
          "role '" + role + "' is not valid (lowercase letters, digits and '_', at most 63)");
    }
    try (PreparedStatement create = owner.prepareStatement("SELECT fleet_create_station_role(?)")) {
      create.setString(1, role);
      create.execute();
    }
    try (PreparedStatement ins =
        owner.prepareStatement(
            "INSERT INTO fleet_stations(station_id, role_name, public_key) VALUES (?, ?, ?)")) {
      ins.setString(1, stationId);
      ins.setString(2, role);
      ins.setString(3, HexFormat.of().formatHex(publicKey));
      ins.executeUpdate();
    }
  }

  /**
   * Acknowledges every open flag of a station (security role), so its inserts are accepted again;
   * returns how many flags were acknowledged.
   */
  public static int acknowledge(Connection security, String stationId) throws SQLException {
    try (PreparedStatement up =
        security.prepareStatement(
            "UPDATE fleet_flags SET acknowledged_at = now() WHERE station_id = ?"
                + " AND acknowledged_at IS NULL")) {
      up.setString(1, stationId);
      return up.executeUpdate();
    }
  }
}
