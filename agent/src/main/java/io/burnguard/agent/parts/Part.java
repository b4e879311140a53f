package io.burnguard.agent.parts;

import java.time.LocalDate;

/**
 * A key part and where it is in its life. Immutable: every move in {@link PartLifecycle} returns a
 * new value.
 *
 * @param id the part id (printed on the part's label and in its volume label)
 * @param identity what the device reported at registration
 * @param supplier the supplier (one of station.yaml {@code parts.suppliers})
 * @param lot the supplier's lot
 * @param received when it arrived
 * @param state where it is now
 * @param unitBarcode the unit it was installed in (INSTALLED, or SCRAPPED after it), else null
 * @param scrap the scrap record once recorded, else null
 * @param witness the witness record once recorded, else null
 */
public record Part(
    String id,
    PartIdentity identity,
    String supplier,
    String lot,
    LocalDate received,
    PartState state,
    String unitBarcode,
    ScrapRecord scrap,
    WitnessRecord witness) {
  /** Part ids: what fits a label and a volume label pattern; no spaces or control characters. */
  public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{0,31}";

  public Part {
    if (id == null || !id.matches(ID_PATTERN)) {
      throw new IllegalArgumentException(
          "part id \""
              + id
              + "\" is not 1-32 letters, digits, '_' or '-' starting with a letter"
              + " or digit");
    }
    if (identity == null || state == null || received == null) {
      throw new IllegalArgumentException("part " + id + " needs an identity, a state and a date");
    }
    boolean mayHaveUnit = state == PartState.INSTALLED || state == PartState.SCRAPPED;
    if ((state == PartState.INSTALLED && unitBarcode == null)
        || (!mayHaveUnit && unitBarcode != null)) {
      throw new IllegalArgumentException(
          "part "
              + id
              + " in state "
              + state
              + " with unit "
              + unitBarcode
              + ": an INSTALLED part has a unit (kept when scrapped), no other has one");
    }
    if (state == PartState.SCRAPPED && (scrap == null || witness == null)) {
      throw new IllegalArgumentException(
          "part " + id + " is SCRAPPED without both a scrap and a witness record");
    }
  }

  /** A newly received part. */
  public static Part received(
      String id, PartIdentity identity, String supplier, String lot, LocalDate received) {
    return new Part(id, identity, supplier, lot, received, PartState.RECEIVED, null, null, null);
  }

  Part with(PartState s, String unit, ScrapRecord sc, WitnessRecord w) {
    return new Part(id, identity, supplier, lot, received, s, unit, sc, w);
  }
}
