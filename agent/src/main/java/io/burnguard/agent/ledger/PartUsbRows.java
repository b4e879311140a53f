package io.burnguard.agent.ledger;

import io.burnguard.agent.parts.UsbIdentity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The {@code key_part_usb} rows of {@link PartsLedger} (migration V7): the USB device a part sits
 * on, one row per part, written with its registration and read with the part (a LEFT JOIN).
 */
final class PartUsbRows {
  private PartUsbRows() {}

  /** {@code SELECT} of the part columns (qualified {@code k.}) and the USB ones, aliased. */
  static String selectPart(String partColumns) {
    return "SELECT "
        + String.join(
            ", ", Arrays.stream(partColumns.split(",")).map(c -> "k." + c.strip()).toList())
        + ", u.vendor_id AS usb_vendor_id, u.product_id AS usb_product_id,"
        + " u.manufacturer AS usb_manufacturer, u.product AS usb_product,"
        + " u.serial AS usb_serial, u.port AS usb_port"
        + " FROM key_parts k LEFT JOIN key_part_usb u ON u.part_id = k.id";
  }

  static void insert(Connection c, String partId, UsbIdentity u) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO key_part_usb(part_id, vendor_id, product_id, manufacturer, product,"
                + " serial, port) VALUES (?,?,?,?,?,?,?)")) {
      s.setString(1, partId);
      s.setString(2, u.vendorId());
      s.setString(3, u.productId());
      s.setString(4, u.manufacturer());
      s.setString(5, u.product());
      s.setString(6, u.serial());
      s.setString(7, u.port());
      s.executeUpdate();
    }
  }

  /** The USB identity of the row at the cursor of {@link #selectPart}, or null. */
  static UsbIdentity read(ResultSet r) throws SQLException {
    String vendor = r.getString("usb_vendor_id");
    return vendor == null
        ? null
        : new UsbIdentity(
            vendor,
            r.getString("usb_product_id"),
            r.getString("usb_manufacturer"),
            r.getString("usb_product"),
            r.getString("usb_serial"),
            r.getString("usb_port"));
  }
}
