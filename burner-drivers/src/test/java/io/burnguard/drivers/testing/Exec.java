package io.burnguard.drivers.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short helper command with a deadline. */
final class Exec {
  private Exec() {}

  static String run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", cmd));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
      }
      return out;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Fails with the apt package to install when a binary is missing. */
  static void require(String path, String aptPackage) {
    if (!new java.io.File(path).exists()) {
      throw new IllegalStateException(
          path
              + " is missing; install the Debian package '"
              + aptPackage
              + "' (apt-get install "
              + aptPackage
              + ")");
    }
  }
}
