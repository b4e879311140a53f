package io.burnguard.agent.vetting.server;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The total deadline of one request to the designated server.
 *
 * <p>Threat: a server under an attacker's control that sends one byte just before every read
 * timeout keeps a per-read timeout from ever firing, and so holds a fetch (and whatever waits on
 * it) for as long as it likes. The deadline runs on a timer thread: when it passes, it disconnects
 * the connection in use, which fails the blocked read at once; the client then reports {@link
 * ServerRefusedException.Reason#TIMEOUT} naming the deadline instead of whatever the cut socket
 * said.
 */
final class RequestDeadline implements AutoCloseable {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "burnguard-server-deadline");
            t.setDaemon(true);
            return t;
          });

  private final Duration budget;
  private final ScheduledFuture<?> alarm;
  private volatile HttpURLConnection current;
  private volatile boolean expired;

  RequestDeadline(Duration budget) {
    this.budget = budget;
    this.alarm = TIMER.schedule(this::expire, budget.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void expire() {
    expired = true;
    HttpURLConnection c = current;
    if (c != null) {
      c.disconnect();
    }
  }

  /** The connection the request uses now (a redirect replaces it). */
  void attach(HttpURLConnection c) {
    current = c;
    if (expired) {
      c.disconnect();
    }
  }

  /** True once the deadline has passed. */
  boolean expired() {
    return expired;
  }

  /** The whole budget of the request. */
  Duration budget() {
    return budget;
  }

  @Override
  public void close() {
    alarm.cancel(false);
    current = null;
  }
}
