package io.burnguard.agent.vetting;

import java.util.List;
import java.util.Objects;

/**
 * A release whose manifest passed every check up to (not including) the image bytes.
 *
 * <p>Only {@link ReleaseVerifier} makes one (the constructor is package-private), so holding a
 * {@code VerifiedRelease} proves the checks ran: code outside {@code vetting} cannot wrap an
 * unverified manifest in it. That is why this is a class and not a record (a public record's
 * canonical constructor is public).
 */
public final class VerifiedRelease {
  private final Manifest manifest;
  private final byte[] manifestBytes;
  private final List<SignerIdentity> signers;
  private final List<String> skipped;

  /**
   * Copies the mutable parts.
   *
   * @param manifest the parsed manifest
   * @param manifestBytes the exact signed bytes
   * @param signers the signers, one per distinct key
   * @param skipped checks not performed (offline verification), in words; empty on a station
   */
  VerifiedRelease(
      Manifest manifest, byte[] manifestBytes, List<SignerIdentity> signers, List<String> skipped) {
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.manifestBytes = manifestBytes.clone();
    this.signers = List.copyOf(signers);
    this.skipped = List.copyOf(skipped);
  }

  /** The parsed manifest. */
  public Manifest manifest() {
    return manifest;
  }

  /** The exact signed bytes. */
  public byte[] manifestBytes() {
    return manifestBytes.clone();
  }

  /** The signers, one per distinct key, as the CMS SignerInfos came. */
  public List<SignerIdentity> signers() {
    return signers;
  }

  /**
   * The signers' common names in a stable order: CMS keeps SignerInfos in a DER SET, whose order
   * follows the encodings, not the signing order, so records and messages sort them.
   */
  public List<String> signerNames() {
    return signers.stream().map(SignerIdentity::commonName).sorted().toList();
  }

  /** Checks not performed (offline verification), in words; empty on a station. */
  public List<String> skipped() {
    return skipped;
  }

  @Override
  public String toString() {
    return "VerifiedRelease["
        + manifest.name()
        + " "
        + manifest.version()
        + ", signers "
        + signerNames()
        + "]";
  }
}
