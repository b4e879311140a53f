package io.burnguard.agent.ports;

import io.burnguard.agent.audit.AuditChain;
import io.burnguard.agent.audit.Timestamps;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.ports.PortEvent;
import io.burnguard.ports.policy.Decision;
import io.burnguard.ports.usb.UsbDevice;
import io.burnguard.ports.usb.UsbInterfaceType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code port_events} table: every decision of the port monitor, each chained in the audit log
 * in the transaction that stores it (kind {@code port.decision}).
 */
public final class PortEventStore {
  private static final String COLUMNS =
      "id, at, kind, mode, port, sys_path, device_id, device_name, device_serial, device_hash,"
          + " interfaces, action, rule_line, rule, applied, detail";

  private final Database db;
  private final AuditChain chain;

  public PortEventStore(Database db, AuditChain chain) {
    this.db = db;
    this.chain = chain;
  }

  /** Stores and chains one event; returns its id. */
  public long record(PortEvent e) throws DatabaseException {
    return chain.write(
        c -> {
          long id;
          try (PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO port_events(at, kind, mode, port, sys_path, device_id,"
                      + " device_name, device_serial, device_hash, interfaces, action, rule_line,"
                      + " rule, applied, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            bind(ins, e);
            ins.executeUpdate();
            try (ResultSet k = ins.getGeneratedKeys()) {
              k.next();
              id = k.getLong(1);
            }
          }
          chain.appendRow(c, "port.decision", "port_events", id);
          return id;
        });
  }

  /**
   * Stores and chains a foreign use of a fixture's serial port: {@code port} is the fixture id,
   * {@code device} the node, {@code detail} who used it.
   */
  public long recordSerialUse(
      String fixture, String device, String mode, String action, String detail, Instant at)
      throws DatabaseException {
    return chain.write(
        c -> {
          long id;
          try (PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO port_events(at, kind, mode, port, sys_path, action, rule_line,"
                      + " rule, applied, detail) VALUES (?, 'SERIAL_USE', ?, ?, ?, ?, 0, '-', 0,"
                      + " ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            ins.setString(1, Timestamps.format(at));
            ins.setString(2, mode);
            ins.setString(3, fixture);
            ins.setString(4, device);
            ins.setString(5, action);
            ins.setString(6, detail);
            ins.executeUpdate();
            try (ResultSet k = ins.getGeneratedKeys()) {
              k.next();
              id = k.getLong(1);
            }
          }
          chain.appendRow(c, "port.serial-use", "port_events", id);
          return id;
        });
  }

  private static void bind(PreparedStatement ins, PortEvent e) throws SQLException {
    Decision d = e.decision();
    UsbDevice dev = d == null ? null : d.device();
    ins.setString(1, Timestamps.format(e.at()));
    ins.setString(2, e.kind().name());
    ins.setString(3, e.mode().name());
    ins.setString(4, e.port());
    ins.setString(5, e.sysPath());
    setOrNull(ins, 6, dev == null ? null : dev.id());
    setOrNull(ins, 7, dev == null ? null : dev.name());
    setOrNull(ins, 8, dev == null ? null : dev.serial());
    setOrNull(ins, 9, dev == null ? null : dev.hash());
    setOrNull(
        ins,
        10,
        dev == null
            ? null
            : dev.interfaces().stream()
                .map(UsbInterfaceType::toString)
                .collect(Collectors.joining(" ")));
    ins.setString(11, action(e));
    ins.setInt(12, d == null ? 0 : d.line());
    ins.setString(13, d == null ? "-" : d.rule());
    ins.setInt(14, e.applied() ? 1 : 0);
    ins.setString(15, e.detail());
  }

  /** allow, block, reject, or the kind in lower case when there was no policy decision. */
  public static String action(PortEvent e) {
    return e.decision() == null
        ? e.kind().name().toLowerCase(java.util.Locale.ROOT)
        : e.decision().target().keyword();
  }

  private static void setOrNull(PreparedStatement s, int i, String v) throws SQLException {
    if (v == null) {
      s.setNull(i, Types.VARCHAR);
    } else {
      s.setString(i, v);
    }
  }

  /** Events at or after {@code since} (Timestamps format), oldest first, at most {@code limit}. */
  public List<PortEventRow> since(String since, int limit) throws DatabaseException {
    return db.read(
        c -> {
          List<PortEventRow> out = new ArrayList<>();
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM port_events WHERE at >= ? ORDER BY at, id LIMIT ?")) {
            q.setString(1, since);
            q.setInt(2, limit);
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                out.add(map(rs));
              }
            }
          }
          return out;
        });
  }

  /**
   * The newest {@code SERIAL_USE} row of every serial device node (the row's {@code sysPath}), for
   * {@code ports}.
   */
  public java.util.Map<String, PortEventRow> lastSerialUse() throws DatabaseException {
    return db.read(
        c -> {
          java.util.Map<String, PortEventRow> out = new java.util.HashMap<>();
          try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT "
                          + COLUMNS
                          + " FROM port_events WHERE id IN (SELECT max(id) FROM port_events"
                          + " WHERE kind = 'SERIAL_USE' GROUP BY sys_path)");
              ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              PortEventRow r = map(rs);
              out.put(r.sysPath(), r);
            }
          }
          return out;
        });
  }

  private static PortEventRow map(ResultSet rs) throws SQLException {
    return new PortEventRow(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        rs.getString(10),
        rs.getString(11),
        rs.getString(12),
        rs.getInt(13),
        rs.getString(14),
        rs.getInt(15) == 1,
        rs.getString(16));
  }
}
