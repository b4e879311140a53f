package io.burnguard.agent.daemon;

import io.burnguard.agent.doctor.Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether the kernel delivers SIGHUP to a handler of a process, read from its {@code
 * /proc/PID/status} ({@code SigCgt} and {@code SigIgn}): the daemon's doctor line, the start-up
 * check of {@code agent run}, and the tests that send the daemon a SIGHUP.
 *
 * <p>Why a check of its own: a native library may set SIGHUP to SIG_IGN when it loads (jSerialComm
 * did, at the first burn), and a daemon started with SIGHUP ignored inherits that; either way
 * {@code systemctl reload} then does nothing and says nothing (docs/decisions.md, "Config reload").
 */
public final class HangupCheck {
  private static final long HUP_BIT = 1L; // signal 1 is bit 0 of the masks

  private HangupCheck() {}

  /** Caught and not ignored per {@code statusFile}; empty when the file cannot be read. */
  public static Optional<Boolean> caught(Path statusFile) {
    List<String> lines;
    try {
      lines = Files.readAllLines(statusFile);
    } catch (IOException e) {
      return Optional.empty();
    }
    Optional<Long> caught = mask(lines, "SigCgt:");
    Optional<Long> ignored = mask(lines, "SigIgn:");
    if (caught.isEmpty() || ignored.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of((caught.get() & HUP_BIT) != 0 && (ignored.get() & HUP_BIT) == 0);
  }

  /** The doctor line for this process. */
  static Check check() {
    Optional<Boolean> c = caught(Path.of("/proc/self/status"));
    if (c.isEmpty()) {
      return Check.warn(
          "reload",
          "cannot tell whether SIGHUP reaches the daemon (/proc/self/status unreadable)",
          "use `burnguard config reload` to reload station.yaml");
    }
    if (c.get()) {
      return Check.ok(
          "reload", "SIGHUP reloads station.yaml (systemctl reload burnguard, config reload)");
    }
    return Check.warn(
        "reload",
        "SIGHUP does not reach the daemon's handler (the kernel ignores it for this process), so"
            + " `systemctl reload burnguard` does nothing",
        "use `burnguard config reload`, and restart the service (systemctl restart burnguard) to"
            + " get SIGHUP back; report it with the daemon's log");
  }

  private static Optional<Long> mask(List<String> lines, String key) {
    for (String l : lines) {
      if (l.startsWith(key)) {
        try {
          return Optional.of(Long.parseUnsignedLong(l.substring(key.length()).trim(), 16));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
