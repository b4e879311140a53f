package io.burnguard.agent.control;

import java.time.Instant;
import java.util.Objects;

/**
 * One or more refusals of the same request by the same user, coalesced.
 *
 * @param kind why the requests were refused
 * @param caller who asked (from {@code SO_PEERCRED})
 * @param request the operation's wire name, or {@code "connect"} for a refused connection
 * @param reason what was missing: the roles needed, or the limit that was reached
 * @param count how many refusals this entry stands for, exactly (at least 1)
 * @param first when the first of them happened
 * @param last when the last of them happened
 */
public record Denial(
    Kind kind,
    Caller caller,
    String request,
    String reason,
    long count,
    Instant first,
    Instant last) {
  /** Why a request was refused. */
  public enum Kind {
    /** The caller holds none of the operation's roles. */
    ROLE,
    /**
     * A connection limit was reached: too many connections from one user, or the daemon is full.
     */
    BUSY,
    /**
     * A malformed request (not JSON, wrong envelope, an argument too long or not plain text). The
     * control server only logs these, coalesced; they never reach a {@link DenialRecorder}.
     */
    BAD_REQUEST
  }

  public Denial {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(reason, "reason");
    if (count < 1) {
      throw new IllegalArgumentException("a denial stands for at least 1 refusal, found " + count);
    }
    if (last.isBefore(first)) {
      throw new IllegalArgumentException("denial range ends (" + last + ") before " + first);
    }
  }
}
