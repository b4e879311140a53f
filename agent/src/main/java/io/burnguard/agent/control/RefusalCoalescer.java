package io.burnguard.agent.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces repeated refusals before they are recorded.
 *
 * <p>Threat: a user floods the socket with forbidden requests (8 threads made 14,580 denials in 20
 * s), and each chained, signed entry costs the disk about 2 GB an hour. The disk must not be the
 * attack surface, and the record must not lose anything.
 *
 * <p>Policy, per (kind, user, request): the first refusal is recorded at once (count 1), so a
 * single denial is visible immediately. Refusals that follow within {@link #WINDOW} are only
 * counted; when the window ends, one entry with their exact count and first/last times is recorded
 * and a new window starts if they go on. A sustained flood therefore costs one entry per key per
 * window (the per-user rate limit on the record), and {@link #close} flushes what is pending, so
 * the sum of the counts is exactly the number of refusals.
 */
final class RefusalCoalescer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RefusalCoalescer.class);

  /** How long repeats are counted before one entry records them. */
  static final Duration WINDOW = Duration.ofSeconds(60);

  private record Key(Denial.Kind kind, String user, String request) {}

  /** Repeats counted since the last entry for one key. */
  private static final class Pending {
    final Caller caller;
    final String reason;
    Instant windowStart;
    long count;
    Instant first;
    Instant last;

    Pending(Caller caller, String reason, Instant now) {
      this.caller = caller;
      this.reason = reason;
      this.windowStart = now;
    }
  }

  private final DenialRecorder recorder;
  private final Clock clock;
  private final Duration window;
  private final Map<Key, Pending> pending = new HashMap<>();

  RefusalCoalescer(DenialRecorder recorder, Clock clock, Duration window) {
    this.recorder = recorder;
    this.clock = clock;
    this.window = window;
  }

  /**
   * Counts one refusal; returns the entry to record now (the first of its key), or null when it was
   * only counted.
   */
  synchronized Denial refused(Denial.Kind kind, Caller caller, String request, String reason) {
    Instant now = clock.instant();
    Key key = new Key(kind, caller.user(), request);
    Pending p = pending.get(key);
    if (p == null) {
      pending.put(key, new Pending(caller, reason, now));
      return new Denial(kind, caller, request, reason, 1, now, now);
    }
    if (p.count == 0) {
      p.first = now;
    }
    p.count++;
    p.last = now;
    return null;
  }

  /** Records the first refusal at once and counts the others (see the class comment). */
  void refusedAndRecord(Denial.Kind kind, Caller caller, String request, String reason) {
    Denial d = refused(kind, caller, request, reason);
    if (d != null) {
      record(d);
    }
  }

  /** Records one entry, as returned by {@link #refused}. */
  void record(Denial d) {
    record(List.of(d));
  }

  /** Records the repeats of every window that has ended; called by a timer. */
  void flushDue() {
    record(due(false));
  }

  private synchronized List<Denial> due(boolean all) {
    Instant now = clock.instant();
    List<Denial> out = new ArrayList<>();
    for (Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Pending> e = it.next();
      Pending p = e.getValue();
      if (!all && Duration.between(p.windowStart, now).compareTo(window) < 0) {
        continue;
      }
      if (p.count == 0) {
        it.remove();
        continue;
      }
      Key k = e.getKey();
      out.add(new Denial(k.kind(), p.caller, k.request(), p.reason, p.count, p.first, p.last));
      p.count = 0;
      p.windowStart = now;
    }
    return out;
  }

  private void record(List<Denial> denials) {
    for (Denial d : denials) {
      try {
        recorder.denied(d);
      } catch (RuntimeException e) {
        log.error(
            "cannot record {} refusal(s) of {} for {}", d.count(), d.request(), d.caller(), e);
      }
    }
  }

  /** Records every pending repeat, whatever its window (at shutdown). */
  @Override
  public void close() {
    record(due(true));
  }
}
