package io.burnguard.agent.vetting.cache;

import io.burnguard.agent.vetting.ReleaseRejectedException;
import java.io.IOException;

/**
 * The cached image read for a burn no longer matches its manifest. Thrown from the burn stream at
 * end-of-stream (an {@link IOException} so drivers need no new signature); the refusal with its
 * reason code is the cause.
 */
public final class VettedImageChangedException extends IOException {
  private static final long serialVersionUID = 1L;

  VettedImageChangedException(ReleaseRejectedException cause) {
    super(cause.getMessage(), cause);
  }

  /** The refusal, with its reason code. */
  public ReleaseRejectedException refusal() {
    return (ReleaseRejectedException) getCause();
  }
}
