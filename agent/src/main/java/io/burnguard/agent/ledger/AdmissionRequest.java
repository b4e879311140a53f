package io.burnguard.agent.ledger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The burn pipeline's early question to the ledger: may this unit be burned under this order now?
 * {@link Ledger#precheck} answers it without starting anything; the authoritative check runs again
 * in the transaction that writes STARTED.
 *
 * @param barcode unit barcode as scanned
 * @param model the fixture's product model
 * @param orderId the order named by the operator, or null for the one open for the model
 * @param firmwareName release the burn would use; empty when no single order could be chosen
 * @param firmwareVersion version the burn would use; empty when no single order could be chosen
 * @param reworkReason why an already PASSED unit is burned again, or null
 * @param fixture fixture id (recorded with a refusal)
 * @param operator OS user from the control socket's peer credentials (recorded with a refusal)
 * @param station this station's id (recorded with a refusal)
 */
public record AdmissionRequest(
    String barcode,
    String model,
    String orderId,
    String firmwareName,
    String firmwareVersion,
    String reworkReason,
    String fixture,
    String operator,
    String station) {

  /** Refuses missing values; {@code orderId} and {@code reworkReason} may be null. */
  public AdmissionRequest {
    Objects.requireNonNull(barcode, "barcode");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(firmwareName, "firmwareName");
    Objects.requireNonNull(firmwareVersion, "firmwareVersion");
    Objects.requireNonNull(fixture, "fixture");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(station, "station");
  }

  /** Who asked and where, as recorded in the chain with a refusal. */
  Map<String, Object> context() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fixture", fixture);
    m.put("operator", operator);
    m.put("station", station);
    return m;
  }
}
