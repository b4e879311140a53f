package io.burnguard.agent.control;

import java.io.IOException;
import java.nio.channels.Channel;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Deadlines for blocking I/O on Unix domain channels, which have no {@code SO_TIMEOUT}: arming a
 * deadline schedules a close of the channel; a blocked read or write then fails at once.
 */
final class Watchdog implements AutoCloseable {
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "control-watchdog");
            t.setDaemon(true);
            return t;
          });

  /**
   * An armed deadline; closing it disarms. {@link #fired()} tells whether it closed the channel.
   */
  static final class Deadline implements AutoCloseable {
    private final ScheduledFuture<?> future;
    private final AtomicBoolean fired;

    private Deadline(ScheduledFuture<?> future, AtomicBoolean fired) {
      this.future = future;
      this.fired = fired;
    }

    boolean fired() {
      return fired.get();
    }

    @Override
    public void close() {
      future.cancel(false);
    }
  }

  Deadline arm(Channel ch, long millis) {
    AtomicBoolean fired = new AtomicBoolean();
    ScheduledFuture<?> f =
        timer.schedule(
            () -> {
              fired.set(true);
              try {
                ch.close();
              } catch (IOException ignored) {
                // closing is the whole point; nothing more to do
              }
            },
            millis,
            TimeUnit.MILLISECONDS);
    return new Deadline(f, fired);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
