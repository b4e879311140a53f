package io.burnguard.agent.burn;

import io.burnguard.agent.vetting.Manifest;
import io.burnguard.agent.vetting.VerifiedRelease;
import io.burnguard.agent.vetting.cache.ImageCache;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * What a burn may use: a release verified again now (only vetting can make a {@link
 * VerifiedRelease}) and the encrypted cache holding its image. Signers stay typed here; they are
 * turned into names only where the ledger records them.
 *
 * @param release the release as verified for this burn (today's trust, the fixture's model)
 * @param cache the cache the image is read from
 */
public record VettedImage(VerifiedRelease release, ImageCache cache) {
  /** Refuses missing parts. */
  public VettedImage {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(cache, "cache");
  }

  /** The verified manifest. */
  public Manifest manifest() {
    return release.manifest();
  }

  /**
   * The image bytes for the scanner and the device, through the cache's verifying stream (SHA-256
   * re-checked at its end).
   */
  public InputStream open() throws IOException {
    return cache.openForBurn(release.manifest());
  }
}
