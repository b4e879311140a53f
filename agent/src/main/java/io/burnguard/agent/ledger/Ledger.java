package io.burnguard.agent.ledger;

import io.burnguard.agent.audit.AuditChain;
import io.burnguard.agent.audit.Timestamps;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.orders.WorkOrderRefusal;
import io.burnguard.agent.orders.WorkOrders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The burn ledger (docs/architecture.md, "The burn pipeline" and "Data that must never be lost").
 *
 * <p>Design:
 *
 * <ul>
 *   <li><b>Started before touched.</b> {@link #start} commits the STARTED record, the work-order
 *       reservation and its audit entry in one durable transaction and only then returns; the
 *       caller hands bytes to the driver after that. If the database cannot take the write (full,
 *       locked, read-only, corrupt) it throws {@link DatabaseException} and nothing was written, so
 *       the burn must not run (exit 5).
 *   <li><b>Ended once.</b> {@link #finish} moves STARTED to PASSED/FAILED/CANCELLED; anything else
 *       is a bug and is refused. Records are never deleted: a unit burned twice has two.
 *   <li><b>Crash recovery.</b> {@link #recoverInterrupted} runs at daemon start and marks every
 *       STARTED record without a live burn INTERRUPTED, with the restart time.
 * </ul>
 */
public final class Ledger {
  private final Database db;
  private final AuditChain chain;
  private final WorkOrders orders;
  private final Clock clock;

  public Ledger(Database db, AuditChain chain, WorkOrders orders, Clock clock) {
    this.db = db;
    this.chain = chain;
    this.orders = orders;
    this.clock = clock;
  }

  /**
   * Admits the unit against its work order and records the burn as STARTED (durably). A refusal is
   * recorded in the audit chain, then thrown.
   *
   * @throws WorkOrderRefusal the burn may not run (exit 3)
   * @throws DatabaseException the database cannot record it; the burn must not run (exit 5)
   */
  public BurnRecord start(BurnRequest r) throws WorkOrderRefusal, DatabaseException {
    Object result =
        chain.write(
            c -> {
              WorkOrders.Admission a =
                  orders.admit(
                      c,
                      r.workOrder(),
                      r.model(),
                      r.firmwareName(),
                      r.firmwareVersion(),
                      r.barcode(),
                      r.reworkReason());
              if (a.refusal() != null) {
                chain.append(c, "burn.refused", refusalRef(a), refusalPayload(r, a.refusal()));
                return a.refusal();
              }
              long id;
              try (PreparedStatement ins =
                  c.prepareStatement(BurnRows.INSERT, java.sql.Statement.RETURN_GENERATED_KEYS)) {
                BurnRows.bindStart(ins, r, a.orderId(), Timestamps.format(clock.instant()));
                ins.executeUpdate();
                try (ResultSet keys = ins.getGeneratedKeys()) {
                  keys.next();
                  id = keys.getLong(1);
                }
              }
              chain.appendRow(c, "burn.started", "burns", id);
              return find(c, id);
            });
    if (result instanceof WorkOrderRefusal) {
      throw (WorkOrderRefusal) result;
    }
    return (BurnRecord) result;
  }

  /**
   * The admission check alone, for the pipeline's early step: a refusal is recorded in the chain
   * (as {@code burn.refused}) and thrown; an admissible unit leaves no trace, since {@link #start}
   * checks again in the transaction that writes STARTED.
   */
  public void precheck(AdmissionRequest r) throws WorkOrderRefusal, DatabaseException {
    WorkOrderRefusal refusal =
        chain.write(
            c -> {
              WorkOrders.Admission a =
                  orders.admit(
                      c,
                      r.orderId(),
                      r.model(),
                      r.firmwareName(),
                      r.firmwareVersion(),
                      r.barcode(),
                      r.reworkReason());
              if (a.refusal() == null) {
                return null;
              }
              java.util.Map<String, Object> p = r.context();
              p.put("barcode", r.barcode());
              p.put("model", r.model());
              p.put("reason", a.refusal().reason().name());
              p.put("message", a.refusal().getMessage());
              chain.append(c, "burn.refused", refusalRef(a), p);
              return a.refusal();
            });
    if (refusal != null) {
      throw refusal;
    }
  }

  /**
   * Records how a STARTED burn ended.
   *
   * @throws IllegalStateException when the burn does not exist or is not STARTED (a bug)
   * @throws DatabaseException when the outcome cannot be recorded
   */
  public BurnRecord finish(long id, BurnResult result) throws DatabaseException {
    String at = Timestamps.format(clock.instant());
    return chain.write(
        c -> {
          BurnRecord cur = find(c, id);
          if (cur == null || cur.outcome() != Outcome.STARTED) {
            throw new IllegalStateException(
                "burn "
                    + id
                    + (cur == null ? " does not exist" : " is already " + cur.outcome())
                    + "; only a STARTED burn can end");
          }
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE burns SET outcome = ?, ended_at = ?, failure_reason = ?,"
                      + " readback_digest = ?, readback_match = ? WHERE id = ? AND outcome ="
                      + " 'STARTED'")) {
            u.setString(1, result.outcome().name());
            u.setString(2, at);
            u.setString(3, result.failureReason());
            u.setString(4, result.readbackDigest());
            if (result.readbackMatch() == null) {
              u.setNull(5, java.sql.Types.INTEGER);
            } else {
              u.setInt(5, result.readbackMatch() ? 1 : 0);
            }
            u.setLong(6, id);
            u.executeUpdate();
          }
          chain.appendRow(
              c, "burn." + result.outcome().name().toLowerCase(java.util.Locale.ROOT), "burns", id);
          return find(c, id);
        });
  }

  /**
   * At daemon start: every STARTED record whose id is not in {@code live} becomes INTERRUPTED with
   * the restart time. Returns the records changed.
   */
  public List<BurnRecord> recoverInterrupted(Set<Long> live) throws DatabaseException {
    String at = Timestamps.format(clock.instant());
    return chain.write(
        c -> {
          List<Long> ids = new ArrayList<>();
          try (PreparedStatement q =
                  c.prepareStatement("SELECT id FROM burns WHERE outcome = 'STARTED' ORDER BY id");
              ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              if (!live.contains(rs.getLong(1))) {
                ids.add(rs.getLong(1));
              }
            }
          }
          List<BurnRecord> out = new ArrayList<>();
          for (long id : ids) {
            try (PreparedStatement u =
                c.prepareStatement(
                    "UPDATE burns SET outcome = 'INTERRUPTED', ended_at = ?, failure_reason = ?"
                        + " WHERE id = ?")) {
              u.setString(1, at);
              u.setString(
                  2,
                  "the daemon restarted at "
                      + at
                      + " while this burn was running; the unit may hold a partial image:"
                      + " burn it again");
              u.setLong(3, id);
              u.executeUpdate();
            }
            chain.appendRow(c, "burn.interrupted", "burns", id);
            out.add(find(c, id));
          }
          return out;
        });
  }

  /** One burn record, or null. */
  public BurnRecord get(long id) throws DatabaseException {
    return db.read(c -> find(c, id));
  }

  /** Every burn of a unit, newest first ({@code trace BARCODE}). */
  public List<BurnRecord> trace(String barcode) throws DatabaseException {
    return db.read(
        c -> {
          List<BurnRecord> out = new ArrayList<>();
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT "
                      + BurnRows.COLUMNS
                      + " FROM burns WHERE barcode = ? ORDER BY started_at DESC, id DESC")) {
            q.setString(1, barcode);
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                out.add(BurnRows.map(rs));
              }
            }
          }
          return out;
        });
  }

  /**
   * Streams every burn matching {@code q} to {@code sink}, oldest first, one row at a time (SQLite
   * steps the cursor; nothing is collected), so memory stays constant for millions of rows.
   *
   * @return the number of rows streamed
   * @throws IOException when the sink fails
   */
  public long units(UnitsQuery q, BurnSink sink) throws DatabaseException, IOException {
    try {
      return db.read(c -> streamUnits(c, q, sink));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static long streamUnits(Connection c, UnitsQuery q, BurnSink sink) throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(BurnRows.COLUMNS)
            .append(" FROM burns WHERE firmware_name = ?");
    List<String> args = new ArrayList<>(List.of(q.firmwareName()));
    if (q.version() != null) {
      sql.append(" AND firmware_version = ?");
      args.add(q.version());
    }
    if (q.since() != null) {
      sql.append(" AND started_at >= ?");
      args.add(Timestamps.format(q.since()));
    }
    if (q.until() != null) {
      sql.append(" AND started_at < ?");
      args.add(Timestamps.format(q.until()));
    }
    sql.append(" ORDER BY firmware_name, firmware_version, started_at, id");
    long n = 0;
    try (PreparedStatement p = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        p.setString(i + 1, args.get(i));
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          try {
            sink.accept(BurnRows.map(rs));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          n++;
        }
      }
    }
    return n;
  }

  static BurnRecord find(Connection c, long id) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT " + BurnRows.COLUMNS + " FROM burns WHERE id = ?")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? BurnRows.map(rs) : null;
      }
    }
  }

  private static String refusalRef(WorkOrders.Admission a) {
    return a.orderId() == null ? "orders/-" : "orders/" + a.orderId();
  }

  private static Map<String, Object> refusalPayload(BurnRequest r, WorkOrderRefusal x) {
    Map<String, Object> m = new LinkedHashMap<>();
    // A refused barcode may be hostile (10 KiB, control characters): keep a bounded prefix.
    String b = r.barcode();
    m.put("barcode", b.length() > 200 ? b.substring(0, 200) + "...(" + b.length() + " chars)" : b);
    m.put("model", r.model());
    m.put("workOrder", x.orderId());
    m.put("fixture", r.fixture());
    m.put("operator", r.operator());
    m.put("station", r.stationId());
    m.put("firmwareName", r.firmwareName());
    m.put("firmwareVersion", r.firmwareVersion());
    m.put("reason", x.reason().name());
    m.put("message", x.getMessage());
    return m;
  }
}
