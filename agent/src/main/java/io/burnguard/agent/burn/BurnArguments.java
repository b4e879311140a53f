package io.burnguard.agent.burn;

import java.util.Objects;

/**
 * What the operator asked for: burn the unit with this barcode on this fixture.
 *
 * @param fixture fixture id from station.yaml
 * @param barcode unit barcode as scanned
 * @param order the work order named by the operator, or null for the one open for the model
 * @param reworkReason why an already PASSED unit is burned again, or null
 */
public record BurnArguments(String fixture, String barcode, String order, String reworkReason) {
  /** Refuses a missing fixture or barcode. */
  public BurnArguments {
    Objects.requireNonNull(fixture, "fixture");
    Objects.requireNonNull(barcode, "barcode");
  }
}
