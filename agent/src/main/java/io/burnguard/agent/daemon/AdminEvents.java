package io.burnguard.agent.daemon;

import io.burnguard.agent.control.Caller;
import io.burnguard.agent.control.Denial;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes admin events (daemon start and stop, refusals, config reloads) to the database, and says
 * how a coalesced refusal ({@link Denial}: a count and a time range) reads in admin_events and the
 * audit chain.
 */
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

  /** The admin_events kind of a refusal: DENIED (role) or BUSY (connection limits). */
  static String kind(Denial d) {
    return d.kind() == Denial.Kind.ROLE ? "DENIED" : "BUSY";
  }

  /** The audit-chain kind of a refusal. */
  static String chainKind(Denial d) {
    return d.kind() == Denial.Kind.ROLE ? "control.denied" : "control.busy";
  }

  /** What was missing, as a phrase. */
  static String reason(Denial d) {
    return d.kind() == Denial.Kind.ROLE ? "needs role " + d.reason() : d.reason();
  }

  /** The admin_events detail: the reason, and for repeats their count and range. */
  static String detail(Denial d) {
    return d.count() == 1
        ? reason(d)
        : reason(d) + "; " + d.count() + " times from " + d.first() + " to " + d.last();
  }

  /** The chained payload: who, what, why, how many times, first and last (ISO-8601 UTC). */
  static Map<String, Object> payload(Denial d) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("user", d.caller().user());
    p.put("op", d.request());
    p.put(d.kind() == Denial.Kind.ROLE ? "needed" : "reason", d.reason());
    p.put("count", d.count());
    p.put("first", d.first().toString());
    p.put("last", d.last().toString());
    return p;
  }
}
