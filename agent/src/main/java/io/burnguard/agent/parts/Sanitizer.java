package io.burnguard.agent.parts;

import io.burnguard.agent.parts.SanitizeException.Reason;
import io.burnguard.agent.parts.SanitizeProgress.Phase;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sanitizes and formats a key part (issue 15): Purge where the device offers it and the read-back
 * proves it, else Clear; then the read-back verification; then the file system with a label
 * carrying the part id.
 *
 * <p>The device must have passed {@link DeviceProbe#requireSafe} just before; this class writes to
 * whatever it is given. It returns a result only when every phase completed: an interrupt, a write
 * error, a byte that is not the pattern or a failed mkfs is a {@link SanitizeException}, so the
 * caller never marks a part SANITIZED on a partial run.
 */
public final class Sanitizer {
  private static final Logger log = LoggerFactory.getLogger(Sanitizer.class);

  private final Clock clock;

  public Sanitizer(Clock clock) {
    this.clock = clock;
  }

  /** Sanitizes, verifies and formats {@code device}. */
  public SanitizeResult sanitize(
      DeviceInfo device, SanitizeOptions options, SanitizeProgress.Listener listener)
      throws SanitizeException {
    Instant started = clock.instant();
    Overwriter io =
        new Overwriter(device.path(), device.sizeBytes(), options.chunkBytes(), listener);
    SanitizeMethod method = SanitizeMethod.CLEAR;
    long verified = -1;
    if (options.allowPurge() && device.isBlockDevice() && purge(device, listener)) {
      try {
        verified = io.verify(options.verification());
        method = SanitizeMethod.PURGE;
      } catch (SanitizeException e) {
        if (e.reason() == Reason.INTERRUPTED) {
          throw e;
        }
        log.warn(
            "{}: Purge read back non-zero ({}); falling back to Clear",
            device.path(),
            e.getMessage());
      }
    }
    if (method == SanitizeMethod.CLEAR) {
      io.clear();
      verified = io.verify(options.verification());
    }
    listener.update(new SanitizeProgress(Phase.FORMAT, 0, 1, 0, null));
    String tool =
        Formatter.format(
            device.path(), options.fileSystem(), options.label(), device.isBlockDevice());
    listener.update(new SanitizeProgress(Phase.FORMAT, 1, 1, 0, null));
    return new SanitizeResult(
        method,
        technique(method),
        device.sizeBytes(),
        options.verification(),
        options.verification().describe(options.chunkBytes()),
        verified,
        options.fileSystem(),
        options.label(),
        tool,
        io.directIo(),
        started,
        clock.instant());
  }

  private static boolean purge(DeviceInfo device, SanitizeProgress.Listener listener) {
    listener.update(new SanitizeProgress(Phase.PURGE, 0, device.sizeBytes(), 0, null));
    return SecureDiscard.tryDiscard(device.path(), device.sizeBytes());
  }

  private static String technique(SanitizeMethod m) {
    return m == SanitizeMethod.PURGE
        ? "block-device secure discard (BLKSECDISCARD) of the whole device, zero read-back"
        : "overwrite, 1 pass, pattern 0x00, every user-addressable byte";
  }
}
