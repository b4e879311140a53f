package io.burnguard.agent.control;

import io.burnguard.agent.contract.ExitCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers connections the selector refuses, without blocking it: one reply line written without
 * waiting (it fits the socket buffer of a fresh connection), then close. A "busy" refusal is
 * counted by the {@link RefusalCoalescer}; the first of a flood is logged here and recorded on the
 * record thread, never on the selector thread, so a slow database cannot stall accepting.
 */
final class Refusals {
  private static final Logger log = LoggerFactory.getLogger(Refusals.class);

  private final RefusalCoalescer coalescer;
  private final RefusalCoalescer badRequests;
  private final Executor recordThread;

  /**
   * @param coalescer counts "busy" refusals for the daemon's record
   * @param badRequests counts malformed requests for the log only
   * @param recordThread where recording happens, off the selector thread
   */
  Refusals(RefusalCoalescer coalescer, RefusalCoalescer badRequests, Executor recordThread) {
    this.coalescer = coalescer;
    this.badRequests = badRequests;
    this.recordThread = recordThread;
  }

  /**
   * Logs a malformed request of {@code caller}: the first of a user at once, repeats once a window
   * with their count ({@link #logBadRequests}), so garbage does not fill the log either.
   */
  void badRequest(Caller caller, String problem) {
    if (badRequests.refused(Denial.Kind.BAD_REQUEST, caller, "request", problem) != null) {
      log.warn("bad request from {} (uid {}): {}", caller.user(), caller.uid(), problem);
    }
  }

  /** The log-only recorder of repeated malformed requests. */
  static void logBadRequests(Denial d) {
    log.warn(
        "{} more bad requests from {} (uid {}) from {} to {}; the first: {}",
        d.count(),
        d.caller().user(),
        d.caller().uid(),
        d.first(),
        d.last(),
        d.reason());
  }

  /** Tells {@code caller} the daemon is busy (exit 5) and counts the refusal. */
  void busy(SocketChannel ch, Caller caller, String message) {
    replyAndClose(ch, Result.fail(ExitCode.UNAVAILABLE, message));
    Denial first = coalescer.refused(Denial.Kind.BUSY, caller, "connect", message);
    if (first == null) {
      return;
    }
    log.warn(
        "refusing connections of {} (uid {}): {}; further refusals are counted and recorded once"
            + " a minute while they go on",
        caller.user(),
        caller.uid(),
        message);
    try {
      recordThread.execute(() -> coalescer.record(first));
    } catch (RejectedExecutionException e) {
      log.debug("shutting down; the refusal of {} is in the log only", caller.user());
    }
  }

  /** Writes {@code r} without blocking, then closes; a client that is gone is simply closed. */
  static void replyAndClose(SocketChannel ch, Result r) {
    try (ch) {
      ch.write(ByteBuffer.wrap(Wire.line(r.toJson())));
    } catch (IOException e) {
      log.debug("refusal reply failed: {}", e.getMessage());
    }
  }

  static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      log.debug("close failed: {}", e.getMessage());
    }
  }
}
