package io.burnguard.agent.ledger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One burn of one unit, as stored in the ledger. All fields of issue 6, "Burn records".
 *
 * @param id ledger id
 * @param request what was known at start
 * @param workOrder the order the burn counted against
 * @param startedAt when it was recorded as STARTED ({@code Timestamps} format)
 * @param endedAt when it ended, or null while STARTED
 * @param outcome current state
 * @param failureReason why it did not pass, or null
 * @param readbackDigest digest read back from the device, or null
 * @param readbackMatch whether it matched, or null
 * @param chainSeq the audit-chain entry that last recorded this row (issue 11), for {@code audit
 *     verify --unit} and for checking one unit by hand; 0 when unknown
 */
public record BurnRecord(
    long id,
    BurnRequest request,
    String workOrder,
    String startedAt,
    String endedAt,
    Outcome outcome,
    String failureReason,
    String readbackDigest,
    Boolean readbackMatch,
    long chainSeq) {

  /** A record whose chain entry is not known. */
  public BurnRecord(
      long id,
      BurnRequest request,
      String workOrder,
      String startedAt,
      String endedAt,
      Outcome outcome,
      String failureReason,
      String readbackDigest,
      Boolean readbackMatch) {
    this(
        id,
        request,
        workOrder,
        startedAt,
        endedAt,
        outcome,
        failureReason,
        readbackDigest,
        readbackMatch,
        0);
  }

  /** Field names in output order, shared by the JSON, CSV and table writers. */
  public static final List<String> FIELDS =
      List.of(
          "id",
          "barcode",
          "model",
          "workOrder",
          "station",
          "fixture",
          "port",
          "driver",
          "firmwareName",
          "firmwareVersion",
          "firmwareSha256",
          "signers",
          "scanVerdict",
          "clamdDbVersion",
          "operator",
          "reworkReason",
          "startedAt",
          "endedAt",
          "outcome",
          "failureReason",
          "readbackDigest",
          "readbackMatch",
          "chainSeq");

  /** The record as an ordered map of {@link #FIELDS}. */
  public Map<String, Object> toMap() {
    BurnRequest r = request;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("barcode", r.barcode());
    m.put("model", r.model());
    m.put("workOrder", workOrder);
    m.put("station", r.stationId());
    m.put("fixture", r.fixture());
    m.put("port", r.port());
    m.put("driver", r.driver());
    m.put("firmwareName", r.firmwareName());
    m.put("firmwareVersion", r.firmwareVersion());
    m.put("firmwareSha256", r.firmwareSha256());
    m.put("signers", r.signers());
    m.put("scanVerdict", r.scanVerdict());
    m.put("clamdDbVersion", r.clamdDbVersion());
    m.put("operator", r.operator());
    m.put("reworkReason", r.reworkReason());
    m.put("startedAt", startedAt);
    m.put("endedAt", endedAt);
    m.put("outcome", outcome.name());
    m.put("failureReason", failureReason);
    m.put("readbackDigest", readbackDigest);
    m.put("readbackMatch", readbackMatch);
    m.put("chainSeq", chainSeq);
    return m;
  }
}
