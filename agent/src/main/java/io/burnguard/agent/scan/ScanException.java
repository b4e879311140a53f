package io.burnguard.agent.scan;

/**
 * A scan that did not give a clean verdict. Every reason means "do not burn": the scanning stage
 * fails closed. {@link Reason#dependencyFailure()} tells the CLI whether to exit with "dependency
 * unavailable" (5) or "refused by security policy" (3).
 */
public final class ScanException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the image was not passed. Each carries the operator's next step. */
  public enum Reason {
    /** Nothing accepts a connection at the configured address. */
    UNREACHABLE(
        true,
        "start clamd (systemctl start clamav-daemon) and check the clamd address in"
            + " station.yaml"),
    /** clamd accepted but did not answer or read within the configured timeout. */
    TIMEOUT(
        true,
        "clamd is hung or overloaded: check 'systemctl status clamav-daemon' and its log, then"
            + " retry"),
    /** clamd answered with an error. */
    ERROR_REPLY(true, "read clamd's log (/var/log/clamav/clamav.log) for the cause, then retry"),
    /** Something answered that is not a clamd reply. */
    GARBAGE_REPLY(
        true,
        "the configured clamd address is answered by something that is not clamd: fix the"
            + " address in station.yaml"),
    /** The image is larger than clamd will stream or scan, so it cannot be scanned whole. */
    SIZE_LIMIT(
        true,
        "raise StreamMaxLength, MaxFileSize and MaxScanSize in clamd.conf above the largest"
            + " image, set AlertExceedsMax yes, and restart clamd"),
    /** clamd closed the connection before giving a verdict (crashed, killed or restarted). */
    CLOSED_EARLY(
        true, "clamd went away during the scan: check its log and systemctl status, then retry"),
    /** The image matched a signature. */
    MALWARE_FOUND(
        false,
        "do not burn this image; it has been quarantined; tell security staff and fetch a"
            + " clean release"),
    /** clamd's signature database is older than the configured maximum age. */
    SIGNATURES_STALE(
        false,
        "update clamd's signatures (freshclam, or the station's signature mirror) and reload"
            + " clamd"),
    /** clamd reports no database date (local databases only) and undated ones are not allowed. */
    SIGNATURES_UNDATED(
        false,
        "install dated (.cvd/.cld/.cud) signature databases, or set scan.allowUndated in"
            + " station.yaml if local-only databases are intended"),
    /** The bytes scanned are not the bytes expected (the image changed under us). */
    HASH_MISMATCH(false, "the cached image is not the vetted one: delete it and fetch it again"),
    /** The image could not be read. */
    SOURCE_UNREADABLE(true, "check that the image or device exists and is readable"),
    /** The verdict could not be recorded or looked up, so none can be relied on. */
    DATABASE_UNAVAILABLE(
        true, "the station database cannot be read or written: run 'burnguard doctor'");

    private final boolean dependencyFailure;
    private final String action;

    Reason(boolean dependencyFailure, String action) {
      this.dependencyFailure = dependencyFailure;
      this.action = action;
    }

    /** True when a dependency failed (exit 5), false for a policy refusal (exit 3). */
    public boolean dependencyFailure() {
      return dependencyFailure;
    }

    /** What the operator should do next. */
    public String action() {
      return action;
    }
  }

  private final Reason reason;
  private final String signature;

  /** A failure with a message saying what was found and where. */
  public ScanException(Reason reason, String what) {
    this(reason, what, null, null);
  }

  ScanException(Reason reason, String what, String signature, Throwable cause) {
    super(what + "; " + reason.action(), cause);
    this.reason = reason;
    this.signature = signature;
  }

  /** A malware detection. */
  static ScanException malware(String signature, String where) {
    return new ScanException(
        Reason.MALWARE_FOUND, where + " matched signature " + signature, signature, null);
  }

  /** Why. */
  public Reason reason() {
    return reason;
  }

  /** The signature name for {@link Reason#MALWARE_FOUND}, else null. */
  public String signature() {
    return signature;
  }
}
