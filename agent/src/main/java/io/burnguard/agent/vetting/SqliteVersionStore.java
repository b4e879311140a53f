package io.burnguard.agent.vetting;

import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link VersionStore} in the station database (migration V3__vetting.sql). The compare-and-raise
 * runs inside one write transaction, so two concurrent acceptances cannot lower the mark.
 */
public final class SqliteVersionStore implements VersionStore {
  private final Database db;

  /** A store over {@code db}, which must have the vetting migration applied. */
  public SqliteVersionStore(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public Optional<String> highestVersion(String name) throws DatabaseException {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT version FROM vetting_highest_version WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
          }
        });
  }

  @Override
  public void recordVersion(String name, String version) throws DatabaseException {
    ReleaseVersion candidate = ReleaseVersion.parse(version);
    db.write(
        c -> {
          String old = null;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT version FROM vetting_highest_version WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
              old = rs.next() ? rs.getString(1) : null;
            }
          }
          if (old != null && candidate.compareTo(ReleaseVersion.parse(old)) <= 0) {
            return null;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO vetting_highest_version(name, version) VALUES (?, ?)"
                      + " ON CONFLICT(name) DO UPDATE SET version = excluded.version,"
                      + " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')")) {
            ps.setString(1, name);
            ps.setString(2, version);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public OptionalLong withdrawalSequence() throws DatabaseException {
    return db.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT sequence FROM vetting_withdrawal_state WHERE id = 1");
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
          }
        });
  }

  @Override
  public void recordWithdrawalSequence(long sequence) throws DatabaseException {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO vetting_withdrawal_state(id, sequence) VALUES (1, ?)"
                      + " ON CONFLICT(id) DO UPDATE SET sequence = MAX(sequence, excluded.sequence),"
                      + " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')")) {
            ps.setLong(1, sequence);
            ps.executeUpdate();
          }
          return null;
        });
  }
}
