package io.burnguard.agent.vetting.server;

import java.util.Locale;
import java.util.Objects;

/**
 * The designated server could not be used: either it broke the station's transport policy (TLS
 * trust, host, redirect, size) or it was unavailable (timeout, connection, HTTP status).
 */
public final class ServerRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the server was refused or unavailable. */
  public enum Reason {
    /** The server's TLS certificate is not trusted (wrong CA, SPKI pin mismatch, wrong host). */
    TLS_UNTRUSTED(true, "Check designated-server CA/pin in station.yaml and the server's cert"),
    /** A redirect pointed away from the configured host and base path. */
    REDIRECT_REFUSED(true, "Serve releases directly under the configured base URL"),
    /** A requested path would leave the configured base path. */
    PATH_REFUSED(true, "Use release names and file names without '/' '..' or special chars"),
    /** A document or image is larger than its limit or than the manifest says. */
    TOO_LARGE(true, "The server serves something other than the release; check its content"),
    /** The download ended before the expected length; it can be resumed. */
    TRUNCATED(false, "Run the fetch again; it resumes where it stopped"),
    /** The server did not answer in time. */
    TIMEOUT(false, "Check the network and the server's load, then fetch again"),
    /** The server answered with an unexpected HTTP status. */
    HTTP_STATUS(false, "Check that the release is published at the path named above"),
    /** The server cannot be reached. */
    UNREACHABLE(false, "Check the network, DNS and the designated server's address");

    private final boolean policy;
    private final String advice;

    Reason(boolean policy, String advice) {
      this.policy = policy;
      this.advice = advice;
    }

    /** True for a security-policy refusal (exit 3); false for unavailability (exit 5). */
    public boolean isPolicy() {
      return policy;
    }

    /** What to do about it. */
    public String advice() {
      return advice + ".";
    }
  }

  private final Reason reason;

  /** A refusal with what was found, expected and where. */
  public ServerRefusedException(Reason reason, String detail, Throwable cause) {
    super(String.format(Locale.ROOT, "%s: %s. %s", reason.name(), detail, reason.advice()), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** A refusal without a cause. */
  public ServerRefusedException(Reason reason, String detail) {
    this(reason, detail, null);
  }

  /** The reason code. */
  public Reason reason() {
    return reason;
  }
}
