package io.burnguard.agent.vetting;

import java.util.List;
import java.util.Objects;

/**
 * A release whose manifest passed every check up to (not including) the image bytes.
 *
 * @param manifest the parsed manifest
 * @param manifestBytes the exact signed bytes
 * @param signers the signers, one per distinct key
 * @param skipped checks not performed (offline verification), in words; empty on a station
 */
public record VerifiedRelease(
    Manifest manifest, byte[] manifestBytes, List<SignerIdentity> signers, List<String> skipped) {

  /** Copies the mutable parts. */
  public VerifiedRelease {
    Objects.requireNonNull(manifest, "manifest");
    manifestBytes = manifestBytes.clone();
    signers = List.copyOf(signers);
    skipped = List.copyOf(skipped);
  }

  @Override
  public byte[] manifestBytes() {
    return manifestBytes.clone();
  }
}
