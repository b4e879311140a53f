package io.burnguard.agent.parts;

/**
 * How the overwrite is checked by reading it back (NIST SP 800-88, "Verification"). {@code FULL}
 * reads every byte back; {@code SAMPLE} reads the first and last chunk and randomly chosen chunks
 * (chosen with a SecureRandom, so a device cannot predict which ones) covering {@code percent} of
 * the chunks. Full is the default: sampling trades assurance for time on large media.
 *
 * @param mode full or sample
 * @param percent for {@code SAMPLE}, the share of chunks read back (1-100); 100 for {@code FULL}
 */
public record Verification(Mode mode, int percent) {
  /** Read-back modes. */
  public enum Mode {
    FULL,
    SAMPLE
  }

  public Verification {
    if (mode == null) {
      throw new IllegalArgumentException("verification mode is missing; use full or sample");
    }
    if (mode == Mode.FULL && percent != 100) {
      throw new IllegalArgumentException("full verification reads 100%, found " + percent + "%");
    }
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException(
          "sample verification reads 1-100% of the chunks, found " + percent + "%");
    }
  }

  /** Every byte read back. */
  public static Verification full() {
    return new Verification(Mode.FULL, 100);
  }

  /** A random sample of {@code percent} % of the chunks plus the first and last. */
  public static Verification sample(int percent) {
    return new Verification(Mode.SAMPLE, percent);
  }

  /** For the certificate: "full read-back" or "sampled read-back (10% of 4 MiB chunks)". */
  public String describe(int chunkBytes) {
    return mode == Mode.FULL
        ? "full read-back, compared with the pattern"
        : "sampled read-back of "
            + percent
            + "% of "
            + (chunkBytes >> 10)
            + " KiB chunks plus the first and last, compared with the pattern";
  }
}
