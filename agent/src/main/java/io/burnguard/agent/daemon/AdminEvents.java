package io.burnguard.agent.daemon;

import io.burnguard.agent.control.Caller;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/** Writes admin events (daemon start and stop, denials, config reloads) to the database. */
final class AdminEvents {
  private final Database db;
  private final Clock clock;

  AdminEvents(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  void record(String kind, Caller caller, String request, String detail) throws DatabaseException {
    db.write(c -> insert(c, kind, caller, request, detail));
  }

  /** Inserts the row on {@code c}, inside the caller's write transaction. */
  int insert(Connection c, String kind, Caller caller, String request, String detail)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO admin_events(at, kind, os_user, uid, groups, request, detail)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, Instant.now(clock).toString());
      ps.setString(2, kind);
      ps.setString(3, caller == null ? null : caller.user());
      if (caller == null) {
        ps.setNull(4, java.sql.Types.INTEGER);
      } else {
        ps.setLong(4, caller.uid());
      }
      ps.setString(5, caller == null ? null : String.join(",", caller.groups()));
      ps.setString(6, request);
      ps.setString(7, detail);
      return ps.executeUpdate();
    }
  }
}
