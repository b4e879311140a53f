package io.burnguard.agent.scan;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * clamd's VERSION reply: {@code ClamAV 1.4.6/27812/Thu Nov 20 09:33:10 2025}, or just {@code ClamAV
 * 1.4.6} when clamd has only local (undated) databases.
 *
 * @param raw the reply as received
 * @param engine the engine version, e.g. {@code 1.4.6}
 * @param dbVersion the database version (daily's), 0 when undated
 * @param dbDate the database build time, null when undated
 */
public record ClamdVersion(String raw, String engine, long dbVersion, Instant dbDate) {

  public ClamdVersion {
    if (raw == null || engine == null || engine.isEmpty()) {
      throw new IllegalArgumentException("clamd version needs the raw reply and engine version");
    }
    if ((dbVersion == 0) != (dbDate == null)) {
      throw new IllegalArgumentException("database version and date come together: " + raw);
    }
  }

  /** True when clamd reported a database version and date. */
  public boolean dated() {
    return dbDate != null;
  }

  /** The database version, if reported. */
  public OptionalLong databaseVersion() {
    return dated() ? OptionalLong.of(dbVersion) : OptionalLong.empty();
  }

  /** The database date, if reported. */
  public Optional<Instant> databaseDate() {
    return Optional.ofNullable(dbDate);
  }
}
