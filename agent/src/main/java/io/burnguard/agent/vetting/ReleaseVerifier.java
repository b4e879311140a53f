package io.burnguard.agent.vetting;

import io.burnguard.agent.db.DatabaseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Vets releases and withdrawal lists against a station's {@link TrustPolicy}.
 *
 * <p>Order of checks (issue 3, "Verifier"): parse limits, signatures, chain to the pinned root, key
 * usage and EKU codeSigning, validity, CRL revocation, signer allow-list, threshold of distinct
 * keys (all in {@link CmsVerifier}), then manifest schema, model, version not below the highest
 * seen unless {@code allowDowngrade}, withdrawal list fresh and not listing it, and finally length
 * then SHA-256 of the image ({@link #checkImage}). Nothing parsed from a document is believed
 * before its signatures have been checked.
 */
public final class ReleaseVerifier {
  private static final int BUFFER = 1 << 16;

  private final TrustPolicy policy;
  private final VersionStore versions;

  /** A verifier for a station with its rollback memory. */
  public ReleaseVerifier(TrustPolicy policy, VersionStore versions) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.versions = Objects.requireNonNull(versions, "versions");
  }

  /**
   * Station check of a manifest: every check except the image bytes, including rollback and the
   * (already verified) withdrawal list. Records nothing; call {@link #accept} after the image
   * passed.
   *
   * @param where where the manifest came from, for messages
   */
  public VerifiedRelease verifyManifest(
      String where, byte[] manifest, byte[] signature, WithdrawalList withdrawals)
      throws ReleaseRejectedException, DatabaseException {
    Objects.requireNonNull(withdrawals, "withdrawals");
    VerifiedRelease r = signedManifest(policy, where, manifest, signature, List.of());
    checkVersion(where, r.manifest());
    checkNotWithdrawn(r.manifest(), withdrawals);
    return r;
  }

  /**
   * Offline check ({@code burnguard firmware verify}): signatures, chain, revocation, schema and
   * model, without rollback memory or withdrawal list; those are named in {@link
   * VerifiedRelease#skipped()}.
   */
  public static VerifiedRelease verifyOffline(
      TrustPolicy policy, String where, byte[] manifest, byte[] signature)
      throws ReleaseRejectedException {
    List<String> skipped = new ArrayList<>();
    if (policy.revocation() == TrustPolicy.Revocation.NONE) {
      skipped.add("revocation (--no-crl)");
    }
    if (policy.model().isEmpty()) {
      skipped.add("station model (no --model)");
    }
    skipped.add("rollback against the station's highest version (offline)");
    skipped.add("withdrawal list (offline)");
    return signedManifest(policy, where, manifest, signature, skipped);
  }

  private static VerifiedRelease signedManifest(
      TrustPolicy policy, String where, byte[] manifest, byte[] signature, List<String> skipped)
      throws ReleaseRejectedException {
    DocumentCodec.checkSize(where, manifest.length, DocumentCodec.MAX_MANIFEST_BYTES);
    List<SignerIdentity> signers = CmsVerifier.verify(where, manifest, signature, policy);
    Manifest m = DocumentCodec.parseManifest(where, manifest);
    Optional<String> model = policy.model();
    if (model.isPresent() && !m.models().contains(model.get())) {
      throw new ReleaseRejectedException(
          Reason.MODEL_NOT_LISTED,
          String.format(
              Locale.ROOT,
              "%s %s is for models %s; this station is %s",
              m.name(),
              m.version(),
              m.models(),
              model.get()));
    }
    return new VerifiedRelease(m, manifest, signers, skipped);
  }

  private void checkVersion(String where, Manifest m)
      throws ReleaseRejectedException, DatabaseException {
    Optional<String> highest = versions.highestVersion(m.name());
    if (highest.isPresent()
        && !m.allowDowngrade()
        && ReleaseVersion.parse(m.version()).compareTo(ReleaseVersion.parse(highest.get())) < 0) {
      throw new ReleaseRejectedException(
          Reason.DOWNGRADE,
          String.format(
              Locale.ROOT,
              "%s is %s version %s, below %s already accepted on this station,"
                  + " and allowDowngrade is false",
              where,
              m.name(),
              m.version(),
              highest.get()));
    }
  }

  /**
   * Verifies a withdrawal list like a manifest, refuses it when expired or older than the highest
   * sequence seen, and records its sequence.
   */
  public WithdrawalList verifyWithdrawals(String where, byte[] document, byte[] signature)
      throws ReleaseRejectedException, DatabaseException {
    DocumentCodec.checkSize(where, document.length, DocumentCodec.MAX_WITHDRAWALS_BYTES);
    CmsVerifier.verify(where, document, signature, policy);
    WithdrawalList w = DocumentCodec.parseWithdrawals(where, document);
    checkFresh(w);
    OptionalLong seen = versions.withdrawalSequence();
    if (seen.isPresent() && w.sequence() < seen.getAsLong()) {
      throw new ReleaseRejectedException(
          Reason.WITHDRAWALS_ROLLBACK,
          String.format(
              Locale.ROOT,
              "%s has sequence %d; this station has already seen sequence %d",
              where,
              w.sequence(),
              seen.getAsLong()));
    }
    versions.recordWithdrawalSequence(w.sequence());
    return w;
  }

  /**
   * Burn-time check: the list is still fresh at the station's clock and does not withdraw {@code
   * m}. A list that expired since it was fetched blocks (freeze attack).
   */
  public void checkNotWithdrawn(Manifest m, WithdrawalList w) throws ReleaseRejectedException {
    checkFresh(w);
    Optional<WithdrawalList.Entry> hit = w.find(m.name(), m.version());
    if (hit.isPresent()) {
      throw new ReleaseRejectedException(
          Reason.WITHDRAWN,
          String.format(
              Locale.ROOT,
              "%s %s is withdrawn by withdrawal list %d: %s",
              m.name(),
              m.version(),
              w.sequence(),
              hit.get().reason()));
    }
  }

  private void checkFresh(WithdrawalList w) throws ReleaseRejectedException {
    if (!policy.clock().instant().isBefore(w.expires())) {
      throw new ReleaseRejectedException(
          Reason.WITHDRAWALS_EXPIRED,
          String.format(
              Locale.ROOT,
              "withdrawal list %d expired at %s; station time is %s",
              w.sequence(),
              w.expires(),
              policy.clock().instant()));
    }
  }

  /** Records an accepted release as the new highest version for its name (if higher). */
  public void accept(VerifiedRelease r) throws DatabaseException {
    versions.recordVersion(r.manifest().name(), r.manifest().version());
  }

  /** Checks the image file: length first (cheap, catches truncation), then SHA-256. */
  public static void checkImage(Manifest m, Path image)
      throws ReleaseRejectedException, IOException {
    long size = Files.size(image);
    checkLength(m, size, image.toString());
    try (InputStream in = Files.newInputStream(image)) {
      checkDigest(m, sha256(in), image.toString());
    }
  }

  static void checkLength(Manifest m, long size, String where) throws ReleaseRejectedException {
    if (size != m.length()) {
      throw new ReleaseRejectedException(
          Reason.IMAGE_LENGTH_MISMATCH,
          String.format(
              Locale.ROOT,
              "%s is %d bytes; manifest %s %s says %d",
              where,
              size,
              m.name(),
              m.version(),
              m.length()));
    }
  }

  static void checkDigest(Manifest m, String sha256, String where) throws ReleaseRejectedException {
    // Constant-time compare is not needed (the digest is public), but exact hex compare is.
    if (!m.sha256().equals(sha256)) {
      throw new ReleaseRejectedException(
          Reason.IMAGE_DIGEST_MISMATCH,
          String.format(
              Locale.ROOT,
              "%s has SHA-256 %s; manifest %s %s says %s",
              where,
              sha256,
              m.name(),
              m.version(),
              m.sha256()));
    }
  }

  /** Streaming SHA-256 with the JDK provider (uses the CPU's SHA instructions). */
  static String sha256(InputStream in) throws IOException {
    MessageDigest md = newSha256();
    byte[] buf = new byte[BUFFER];
    for (int n; (n = in.read(buf)) > 0; ) {
      md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
