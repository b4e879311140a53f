package io.burnguard.agent.scan;

import java.io.IOException;

/** Removes an infected image from use; the firmware cache implements it (delete + record). */
@FunctionalInterface
public interface Quarantine {
  /** Quarantines the image with this digest, found to match {@code signature}. */
  void quarantine(String sha256, String signature) throws IOException;

  /** A quarantine that does nothing (tools that hold no cache). */
  static Quarantine none() {
    return (sha256, signature) -> {};
  }
}
