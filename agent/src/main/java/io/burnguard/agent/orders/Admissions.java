package io.burnguard.agent.orders;

import io.burnguard.agent.orders.WorkOrderRefusal.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The order-level and unit-level checks of {@link WorkOrders#admit}. */
final class Admissions {
  private Admissions() {}

  static void checkOrder(WorkOrder o, String model, String fwName, String fwVersion)
      throws WorkOrderRefusal {
    OrderSpec s = o.spec();
    if (!o.open()) {
      throw new WorkOrderRefusal(
          Reason.ORDER_CLOSED,
          s.id(),
          "work order "
              + s.id()
              + " was closed at "
              + o.closedAt()
              + " by "
              + o.closedBy()
              + "; burn against an open order (order list)");
    }
    if (!s.model().equals(model)) {
      throw new WorkOrderRefusal(
          Reason.MODEL_MISMATCH,
          s.id(),
          "work order "
              + s.id()
              + " is for model "
              + s.model()
              + " but this unit is "
              + model
              + "; use the order for "
              + model
              + " or move the unit to the right station");
    }
    if (!s.firmwareName().equals(fwName) || !s.firmwareVersion().equals(fwVersion)) {
      throw new WorkOrderRefusal(
          Reason.FIRMWARE_MISMATCH,
          s.id(),
          "work order "
              + s.id()
              + " calls for firmware "
              + s.firmwareName()
              + " "
              + s.firmwareVersion()
              + " but the burn would use "
              + fwName
              + " "
              + fwVersion
              + "; fetch the release the order names");
    }
  }

  static void checkUnit(Connection c, WorkOrder o, String barcode, String reworkReason)
      throws SQLException, WorkOrderRefusal {
    String id = o.spec().id();
    boolean passed = false;
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT outcome, fixture FROM burns WHERE work_order = ? AND barcode = ?"
                + " AND outcome IN ('STARTED', 'PASSED')")) {
      q.setString(1, id);
      q.setString(2, barcode);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          if ("STARTED".equals(rs.getString(1))) {
            throw new WorkOrderRefusal(
                Reason.IN_PROGRESS,
                id,
                "unit "
                    + barcode
                    + " is being burned right now on fixture "
                    + rs.getString(2)
                    + "; wait for that burn to finish");
          }
          passed = true;
        }
      }
    }
    if (passed) {
      if (o.spec().duplicates() == DuplicatePolicy.NEVER) {
        throw new WorkOrderRefusal(
            Reason.DUPLICATE,
            id,
            "unit "
                + barcode
                + " already PASSED in work order "
                + id
                + ", which allows no rework; see: trace "
                + barcode);
      }
      if (reworkReason == null || reworkReason.isBlank()) {
        throw new WorkOrderRefusal(
            Reason.DUPLICATE,
            id,
            "unit "
                + barcode
                + " already PASSED in work order "
                + id
                + "; to burn it again give a rework reason (--rework \"...\")");
      }
      return; // a reworked unit was already counted
    }
    long reserved = count(c, id, "PASSED", "STARTED");
    if (reserved >= o.spec().quantity()) {
      throw new WorkOrderRefusal(
          Reason.QUANTITY_REACHED,
          id,
          "work order "
              + id
              + " is complete: "
              + reserved
              + " of "
              + o.spec().quantity()
              + " units are passed or being burned; close it and open a new order for more");
    }
  }

  /** Distinct units of an order with one of the outcomes. */
  static long count(Connection c, String orderId, String... outcomes) throws SQLException {
    String in = "?" + ", ?".repeat(outcomes.length - 1);
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT COUNT(DISTINCT barcode) FROM burns WHERE work_order = ? AND outcome IN ("
                + in
                + ")")) {
      q.setString(1, orderId);
      for (int i = 0; i < outcomes.length; i++) {
        q.setString(i + 2, outcomes[i]);
      }
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }
}
