package io.burnguard.agent.scan;

import java.util.Objects;

/**
 * What clamd found in an image: nothing, or a named signature. The typed form of {@link
 * ScanVerdict#signature()}; {@link #text()} is the fixed wording the ledger records and {@code
 * trace} shows ({@code clean}, {@code infected: NAME}), so the record reads the same as before the
 * type existed.
 */
public sealed interface ScanFinding {
  /** The ledger's prefix for an infected image. */
  String INFECTED_PREFIX = "infected: ";

  /** No signature matched. */
  record Clean() implements ScanFinding {
    @Override
    public String text() {
      return "clean";
    }
  }

  /**
   * A signature matched.
   *
   * @param signature the signature name as clamd reported it, e.g. {@code Eicar-Signature}
   */
  record Infected(String signature) implements ScanFinding {
    /** Refuses an empty name: an infection is always named. */
    public Infected {
      Objects.requireNonNull(signature, "signature");
      if (signature.isEmpty()) {
        throw new IllegalArgumentException("an infected verdict names its signature");
      }
    }

    @Override
    public String text() {
      return INFECTED_PREFIX + signature;
    }
  }

  /** The ledger and wire wording: {@code clean} or {@code infected: NAME}. */
  String text();

  /** The finding for clamd's matched signature, null meaning none. */
  static ScanFinding ofSignature(String signature) {
    return signature == null ? new Clean() : new Infected(signature);
  }

  /** Reads {@link #text()} back; anything else is refused with the text found. */
  static ScanFinding parse(String text) {
    if ("clean".equals(text)) {
      return new Clean();
    }
    if (text != null && text.startsWith(INFECTED_PREFIX)) {
      return new Infected(text.substring(INFECTED_PREFIX.length()));
    }
    throw new IllegalArgumentException(
        "scan finding \"" + text + "\" is neither \"clean\" nor \"" + INFECTED_PREFIX + "NAME\"");
  }
}
