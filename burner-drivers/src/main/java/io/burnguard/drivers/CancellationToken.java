package io.burnguard.drivers;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets another thread (operator pressing Stop, daemon shutdown) ask a running burn to stop. The
 * driver checks it between blocks and commands and ends with FAILED in the phase it was in.
 */
public final class CancellationToken {
  private final AtomicReference<String> reason = new AtomicReference<>();

  public static CancellationToken create() {
    return new CancellationToken();
  }

  /** Requests cancellation; the first reason given wins. */
  public void cancel(String why) {
    reason.compareAndSet(null, why == null ? "cancelled" : why);
  }

  public boolean isCancelled() {
    return reason.get() != null;
  }

  /** The reason given to {@link #cancel}, or null. */
  public String reason() {
    return reason.get();
  }
}
