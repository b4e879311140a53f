package io.burnguard.agent.vetting;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a station trusts when it vets a release: the pinned release root, the CRLs it holds, how
 * many distinct signer keys it needs, whose names it accepts, its clock and its product model.
 *
 * <p>{@link TrustLoader} builds it from files, for the daemon (station.yaml's trust section) and
 * for the offline {@code firmware verify} command (its flags) alike.
 *
 * @param root the pinned release root; every signer must chain to it
 * @param crls CRLs of the root and intermediates; revocation fails closed without a current one
 * @param revocation whether CRLs are required ({@link Revocation#NONE} only for offline checks)
 * @param threshold how many distinct signer keys must sign (at least 1)
 * @param allowedSigners signer subject common names accepted; empty means any signer that chains to
 *     the root (the offline command has no allow-list)
 * @param clock the station's clock, for certificate, CRL and withdrawal-list validity
 * @param model the station's product model; empty skips the model check (offline only)
 */
public record TrustPolicy(
    X509Certificate root,
    List<X509CRL> crls,
    Revocation revocation,
    int threshold,
    Set<String> allowedSigners,
    Clock clock,
    Optional<String> model) {

  /** Whether certificate revocation is checked. */
  public enum Revocation {
    /** Every certificate in every chain needs a current CRL from its issuer (fail closed). */
    REQUIRE_CRL,
    /** No revocation check: only for an explicit offline {@code --no-crl}. */
    NONE
  }

  /** Refuses impossible values where they are set. */
  public TrustPolicy {
    Objects.requireNonNull(root, "root");
    crls = List.copyOf(crls);
    Objects.requireNonNull(revocation, "revocation");
    checkThreshold(threshold);
    allowedSigners = Set.copyOf(allowedSigners);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(model, "model");
    checkRevocation(revocation, crls.size());
  }

  /**
   * The threshold rule, also run by {@link TrustLoader} before it reads any file, so a bad setting
   * is named before a missing file is.
   */
  static void checkThreshold(int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException(
          "threshold must be at least 1 distinct signer key, found " + threshold);
    }
  }

  /** CRLs with revocation off contradict each other (also run early by {@link TrustLoader}). */
  static void checkRevocation(Revocation revocation, int crlCount) {
    if (revocation == Revocation.NONE && crlCount > 0) {
      // Contradictory: refuse rather than silently ignore the CRLs given (strict by default).
      throw new IllegalArgumentException(
          "CRLs were given but revocation checking is off, which contradict each other; drop the"
              + " CRLs or turn revocation on");
    }
  }

  /** This policy for a station product model (burn time: the fixture's model). */
  public TrustPolicy withModel(String stationModel) {
    return new TrustPolicy(
        root, crls, revocation, threshold, allowedSigners, clock, Optional.of(stationModel));
  }

  /** This policy with {@code more} CRLs added (e.g. those fetched from the designated server). */
  public TrustPolicy withMoreCrls(List<X509CRL> more) {
    List<X509CRL> all = new java.util.ArrayList<>(crls);
    all.addAll(more);
    return new TrustPolicy(root, all, revocation, threshold, allowedSigners, clock, model);
  }
}
