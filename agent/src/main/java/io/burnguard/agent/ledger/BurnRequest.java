package io.burnguard.agent.ledger;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything known when a burn starts; becomes the STARTED record.
 *
 * @param barcode unit barcode as scanned
 * @param model unit model
 * @param workOrder the order named by the operator, or null to use the one open for the model
 * @param fixture fixture id
 * @param port port the fixture is on (e.g. {@code /dev/ttyUSB0}, USB path)
 * @param driver burner driver name
 * @param firmwareName release name
 * @param firmwareVersion release version
 * @param firmwareSha256 SHA-256 of the image file, 64 lowercase hex
 * @param signers identities of the release signers
 * @param scanVerdict clamd verdict for the image, e.g. {@code OK}
 * @param clamdDbVersion clamd database version the verdict was given with
 * @param operator OS user from the control socket's peer credentials
 * @param stationId this station's id
 * @param reworkReason why an already PASSED unit is burned again, or null
 */
public record BurnRequest(
    String barcode,
    String model,
    String workOrder,
    String fixture,
    String port,
    String driver,
    String firmwareName,
    String firmwareVersion,
    String firmwareSha256,
    List<String> signers,
    String scanVerdict,
    String clamdDbVersion,
    String operator,
    String stationId,
    String reworkReason) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public BurnRequest {
    Objects.requireNonNull(barcode, "barcode");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(fixture, "fixture");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(firmwareName, "firmwareName");
    Objects.requireNonNull(firmwareVersion, "firmwareVersion");
    Objects.requireNonNull(scanVerdict, "scanVerdict");
    Objects.requireNonNull(clamdDbVersion, "clamdDbVersion");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(stationId, "stationId");
    signers = List.copyOf(signers);
    if (firmwareSha256 == null || !SHA256.matcher(firmwareSha256).matches()) {
      throw new IllegalArgumentException(
          "firmware SHA-256 \"" + firmwareSha256 + "\" is not 64 lowercase hex digits");
    }
  }
}
