package io.burnguard.agent.scan;

import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Scan verdicts in the station database (table {@code scan_verdicts}, migration V4). */
final class VerdictStore {
  private final Database db;

  VerdictStore(Database db) {
    this.db = db;
  }

  void record(ScanVerdict v) throws ScanException {
    try {
      db.write(
          c -> {
            try (PreparedStatement s =
                c.prepareStatement(
                    "INSERT INTO scan_verdicts(image_sha256, outcome, signature, clamd_version,"
                        + " db_version, db_date, scanned_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
              s.setString(1, v.imageSha256());
              s.setString(2, v.clean() ? "CLEAN" : "INFECTED");
              s.setString(3, v.signature());
              s.setString(4, v.clamdVersion());
              s.setLong(5, v.dbVersion());
              s.setString(6, v.dbDate() == null ? null : v.dbDate().toString());
              s.setString(7, v.scannedAt().toString());
              return s.executeUpdate();
            }
          });
    } catch (DatabaseException e) {
      throw unavailable("record the scan verdict for " + v.imageSha256(), e);
    }
  }

  /**
   * The newest verdict made under exactly these signatures: the same engine key (engine and, when
   * known, database files) and database version; none for a key that identifies nothing.
   */
  Optional<ScanVerdict> find(String sha256, SignatureKey now) throws ScanException {
    if (!now.reusable()) {
      return Optional.empty();
    }
    return query(
        sha256,
        " AND clamd_version = ? AND db_version = ?",
        now.engineKey(),
        now.clamd().dbVersion());
  }

  /** The newest verdict for an image under any database (for trace and doctor). */
  Optional<ScanVerdict> latest(String sha256) throws ScanException {
    return query(sha256, "", null, 0);
  }

  private Optional<ScanVerdict> query(String sha256, String where, String engine, long dbVersion)
      throws ScanException {
    try {
      return db.read(
          c -> {
            try (PreparedStatement s =
                c.prepareStatement(
                    "SELECT signature, clamd_version, db_version, db_date, scanned_at"
                        + " FROM scan_verdicts WHERE image_sha256 = ?"
                        + where
                        + " ORDER BY id DESC LIMIT 1")) {
              s.setString(1, sha256);
              if (engine != null) {
                s.setString(2, engine);
                s.setLong(3, dbVersion);
              }
              try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(sha256, rs)) : Optional.<ScanVerdict>empty();
              }
            }
          });
    } catch (DatabaseException e) {
      throw unavailable("look up the scan verdict for " + sha256, e);
    }
  }

  private static ScanVerdict row(String sha256, ResultSet rs) throws SQLException {
    String date = rs.getString(4);
    return new ScanVerdict(
        sha256,
        rs.getString(1),
        rs.getString(2),
        rs.getLong(3),
        date == null ? null : Instant.parse(date),
        Instant.parse(rs.getString(5)));
  }

  private static ScanException unavailable(String what, DatabaseException e) {
    return new ScanException(
        ScanException.Reason.DATABASE_UNAVAILABLE,
        "cannot " + what + ": " + e.getMessage(),
        null,
        e);
  }
}
