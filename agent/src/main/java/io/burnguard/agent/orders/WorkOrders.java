package io.burnguard.agent.orders;

import io.burnguard.agent.audit.AuditChain;
import io.burnguard.agent.audit.Timestamps;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.orders.WorkOrderRefusal.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Work orders: open, close, list, and the admission check run for every burn.
 *
 * <p>Concurrency: {@link #admit} runs inside the write transaction that inserts the STARTED burn
 * record ({@code Ledger.start}). The database has one writer, so "count, compare, insert" is
 * atomic: a STARTED record reserves a unit, a FAILED one releases it, and concurrent fixtures can
 * never overshoot the quantity. Every change is appended to the audit chain in the same
 * transaction.
 */
public final class WorkOrders {
  private final AuditChain chain;
  private final io.burnguard.agent.db.Database db;
  private final Clock clock;

  public WorkOrders(io.burnguard.agent.db.Database db, AuditChain chain, Clock clock) {
    this.db = db;
    this.chain = chain;
    this.clock = clock;
  }

  /** The outcome of {@link #admit}: the order the burn counts against, or why it may not run. */
  public record Admission(String orderId, WorkOrderRefusal refusal) {}

  /**
   * Opens an order ({@code order open}, engineer).
   *
   * @throws WorkOrderRefusal ORDER_EXISTS when the id is taken
   */
  public WorkOrder open(OrderSpec s, String user) throws WorkOrderRefusal, DatabaseException {
    String at = Timestamps.format(clock.instant());
    Boolean created =
        chain.write(
            c -> {
              if (find(c, s.id()) != null) {
                return false;
              }
              try (PreparedStatement ins =
                  c.prepareStatement(
                      "INSERT INTO work_orders(id, model, firmware_name, firmware_version,"
                          + " quantity, barcode_regex, check_digit, duplicate_policy, status,"
                          + " opened_at, opened_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?)")) {
                ins.setString(1, s.id());
                ins.setString(2, s.model());
                ins.setString(3, s.firmwareName());
                ins.setString(4, s.firmwareVersion());
                ins.setLong(5, s.quantity());
                ins.setString(6, s.rule().regex());
                ins.setString(7, s.rule().checkDigit().name());
                ins.setString(8, s.duplicates().name());
                ins.setString(9, at);
                ins.setString(10, user);
                ins.executeUpdate();
              }
              chain.appendRow(c, "order.opened", "work_orders", s.id());
              return true;
            });
    if (!created) {
      throw new WorkOrderRefusal(
          Reason.ORDER_EXISTS,
          s.id(),
          "work order " + s.id() + " already exists; choose another id, or see: order list");
    }
    return get(s.id());
  }

  /**
   * Closes an order ({@code order close}); later burns against it are refused.
   *
   * @throws WorkOrderRefusal ORDER_NOT_FOUND or ORDER_CLOSED
   */
  public WorkOrder close(String id, String user, String note)
      throws WorkOrderRefusal, DatabaseException {
    String at = Timestamps.format(clock.instant());
    WorkOrderRefusal refusal =
        chain.write(
            c -> {
              WorkOrder o = find(c, id);
              if (o == null) {
                return notFound(id);
              }
              if (!o.open()) {
                return new WorkOrderRefusal(
                    Reason.ORDER_CLOSED,
                    id,
                    "work order "
                        + id
                        + " was already closed at "
                        + o.closedAt()
                        + " by "
                        + o.closedBy());
              }
              try (PreparedStatement u =
                  c.prepareStatement(
                      "UPDATE work_orders SET status = 'CLOSED', closed_at = ?, closed_by = ?,"
                          + " close_note = ? WHERE id = ?")) {
                u.setString(1, at);
                u.setString(2, user);
                u.setString(3, note);
                u.setString(4, id);
                u.executeUpdate();
              }
              chain.appendRow(c, "order.closed", "work_orders", id);
              return null;
            });
    if (refusal != null) {
      throw refusal;
    }
    return get(id);
  }

  /** One order. @throws WorkOrderRefusal ORDER_NOT_FOUND */
  public WorkOrder get(String id) throws WorkOrderRefusal, DatabaseException {
    WorkOrder o = db.read(c -> find(c, id));
    if (o == null) {
      throw notFound(id);
    }
    return o;
  }

  /** All orders, or only the open ones, newest first. */
  public List<WorkOrder> list(boolean openOnly) throws DatabaseException {
    return db.read(
        c -> {
          List<WorkOrder> out = new ArrayList<>();
          try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT * FROM work_orders"
                          + (openOnly ? " WHERE status = 'OPEN'" : "")
                          + " ORDER BY opened_at DESC, id");
              ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              out.add(map(c, rs));
            }
          }
          return out;
        });
  }

  /**
   * Decides whether a unit may be burned now; must run inside the write transaction that then
   * inserts the STARTED record. Returns the refusal rather than throwing it so the caller can
   * record it in the same transaction.
   *
   * @param orderId the order named by the request, or null to use the one open order for the model
   */
  public Admission admit(
      Connection c,
      String orderId,
      String model,
      String firmwareName,
      String firmwareVersion,
      String barcode,
      String reworkReason)
      throws SQLException {
    try {
      BarcodeRule.checkCharacters(barcode, orderId);
      WorkOrder o = orderId != null ? find(c, orderId) : onlyOpenOrder(c, model);
      if (o == null) {
        throw notFound(orderId);
      }
      String id = o.spec().id();
      Admissions.checkOrder(o, model, firmwareName, firmwareVersion);
      o.spec().rule().check(barcode, id);
      Admissions.checkUnit(c, o, barcode, reworkReason);
      return new Admission(id, null);
    } catch (WorkOrderRefusal r) {
      return new Admission(r.orderId(), r);
    }
  }

  private WorkOrder onlyOpenOrder(Connection c, String model)
      throws SQLException, WorkOrderRefusal {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT id FROM work_orders WHERE status = 'OPEN' AND model = ? ORDER BY id LIMIT 5")) {
      q.setString(1, model);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    if (ids.isEmpty()) {
      throw new WorkOrderRefusal(
          Reason.NO_OPEN_ORDER,
          null,
          "there is no open work order for model "
              + model
              + "; ask the line engineer to open one (order open)");
    }
    if (ids.size() > 1) {
      throw new WorkOrderRefusal(
          Reason.AMBIGUOUS_ORDER,
          null,
          "several work orders are open for model "
              + model
              + " ("
              + String.join(", ", ids)
              + "); name one with --order");
    }
    return find(c, ids.get(0));
  }

  static WorkOrderRefusal notFound(String id) {
    return new WorkOrderRefusal(
        Reason.ORDER_NOT_FOUND,
        null,
        "work order " + id + " does not exist; check the id on the traveller, or see: order list");
  }

  static WorkOrder find(Connection c, String id) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT * FROM work_orders WHERE id = ?")) {
      q.setString(1, id);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? map(c, rs) : null;
      }
    }
  }

  private static WorkOrder map(Connection c, ResultSet rs) throws SQLException {
    OrderSpec spec =
        new OrderSpec(
            rs.getString("id"),
            rs.getString("model"),
            rs.getString("firmware_name"),
            rs.getString("firmware_version"),
            rs.getLong("quantity"),
            new BarcodeRule(
                rs.getString("barcode_regex"), CheckDigit.valueOf(rs.getString("check_digit"))),
            DuplicatePolicy.valueOf(rs.getString("duplicate_policy")));
    return new WorkOrder(
        spec,
        "OPEN".equals(rs.getString("status")),
        rs.getString("opened_at"),
        rs.getString("opened_by"),
        rs.getString("closed_at"),
        rs.getString("closed_by"),
        rs.getString("close_note"),
        Admissions.count(c, spec.id(), "PASSED"));
  }
}
