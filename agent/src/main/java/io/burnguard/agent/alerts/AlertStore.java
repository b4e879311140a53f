package io.burnguard.agent.alerts;

import io.burnguard.agent.audit.AuditChain;
import io.burnguard.agent.audit.Timestamps;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Alerts for security staff. Raising and acknowledging each append to the audit chain in the same
 * transaction, so an alert cannot be quietly acknowledged or removed.
 */
public final class AlertStore {
  private static final String COLUMNS =
      "id, created_at, severity, kind, message, acknowledged_at, acknowledged_by, ack_note";

  private final Database db;
  private final AuditChain chain;
  private final Clock clock;
  private volatile java.util.function.Consumer<Alert> raised = a -> {};

  public AlertStore(Database db, AuditChain chain, Clock clock) {
    this.db = db;
    this.chain = chain;
    this.clock = clock;
  }

  /**
   * Sets who hears of every alert once it is stored and chained (the syslog sender, issue 14); it
   * must not block.
   */
  public void onRaised(java.util.function.Consumer<Alert> listener) {
    this.raised = Objects.requireNonNull(listener, "listener");
  }

  /** Records a new alert. */
  public Alert raise(Severity severity, String kind, String message) throws DatabaseException {
    Alert stored = store(severity, kind, message);
    raised.accept(stored);
    return stored;
  }

  private Alert store(Severity severity, String kind, String message) throws DatabaseException {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    String at = Timestamps.format(clock.instant());
    return chain.write(
        c -> {
          long id;
          try (PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO alerts(created_at, severity, kind, message) VALUES (?, ?, ?, ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            ins.setString(1, at);
            ins.setString(2, severity.name());
            ins.setString(3, kind);
            ins.setString(4, message);
            ins.executeUpdate();
            try (ResultSet k = ins.getGeneratedKeys()) {
              k.next();
              id = k.getLong(1);
            }
          }
          Alert a = find(c, id);
          chain.appendRow(c, "alert.raised", "alerts", id);
          return a;
        });
  }

  /**
   * Acknowledges an open alert ({@code alerts ack ID --note TEXT}, security).
   *
   * @throws AlertRefusal NOT_FOUND, ALREADY_ACKNOWLEDGED or NOTE_REQUIRED
   */
  public Alert acknowledge(long id, String user, String note)
      throws AlertRefusal, DatabaseException {
    if (note == null || note.isBlank()) {
      throw new AlertRefusal(
          AlertRefusal.Reason.NOTE_REQUIRED,
          id,
          "acknowledging alert " + id + " needs a note saying what was found and done (--note)");
    }
    String at = Timestamps.format(clock.instant());
    Object r =
        chain.write(
            c -> {
              Alert a = find(c, id);
              if (a == null) {
                return new AlertRefusal(
                    AlertRefusal.Reason.NOT_FOUND,
                    id,
                    "alert " + id + " does not exist; see: alerts --open");
              }
              if (!a.open()) {
                return new AlertRefusal(
                    AlertRefusal.Reason.ALREADY_ACKNOWLEDGED,
                    id,
                    "alert "
                        + id
                        + " was already acknowledged at "
                        + a.acknowledgedAt()
                        + " by "
                        + a.acknowledgedBy()
                        + ": "
                        + a.note());
              }
              try (PreparedStatement u =
                  c.prepareStatement(
                      "UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ?, ack_note = ?"
                          + " WHERE id = ?")) {
                u.setString(1, at);
                u.setString(2, user);
                u.setString(3, note);
                u.setLong(4, id);
                u.executeUpdate();
              }
              Alert acked = find(c, id);
              chain.appendRow(c, "alert.acknowledged", "alerts", id);
              return acked;
            });
    if (r instanceof AlertRefusal) {
      throw (AlertRefusal) r;
    }
    return (Alert) r;
  }

  /** One alert, or null when there is none with this id. */
  public Alert get(long id) throws DatabaseException {
    return db.read(c -> find(c, id));
  }

  /** Alerts newest first; only open ones when {@code openOnly}; at most {@code limit}. */
  public List<Alert> list(boolean openOnly, int limit) throws DatabaseException {
    return db.read(
        c -> {
          List<Alert> out = new ArrayList<>();
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM alerts"
                      + (openOnly ? " WHERE acknowledged_at IS NULL" : "")
                      + " ORDER BY created_at DESC, id DESC LIMIT ?")) {
            q.setInt(1, limit);
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                out.add(map(rs));
              }
            }
          }
          return out;
        });
  }

  private static Alert find(Connection c, long id) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT " + COLUMNS + " FROM alerts WHERE id = ?")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? map(rs) : null;
      }
    }
  }

  private static Alert map(ResultSet rs) throws SQLException {
    return new Alert(
        rs.getLong(1),
        rs.getString(2),
        Severity.valueOf(rs.getString(3)),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8));
  }
}
