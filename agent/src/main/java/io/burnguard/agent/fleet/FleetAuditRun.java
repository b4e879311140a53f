package io.burnguard.agent.fleet;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@link FleetAudit} over many stations at once: {@code threads} workers, each on its own
 * connection, take stations in turn (a station's chain is walked by one worker, in order); the
 * results are emitted in station order when all are done.
 */
public final class FleetAuditRun {
  /** Opens a connection as the auditing role. */
  @FunctionalInterface
  public interface Connections {
    Connection open() throws SQLException;
  }

  /**
   * What the run found.
   *
   * @param stations stations audited
   * @param failed stations that do not verify
   * @param entries entries verified
   */
  public record Summary(long stations, long failed, long entries) {}

  private FleetAuditRun() {}

  /**
   * Audits every station (or only {@code station}) with {@code threads} connections.
   *
   * @throws IllegalArgumentException when {@code station} is not registered
   */
  public static Summary run(Connections src, String station, int threads, RowSink sink)
      throws SQLException, IOException {
    Map<String, byte[]> keys;
    try (Connection c = src.open()) {
      keys = new FleetAudit(c).keys(station);
    }
    if (station != null && keys.isEmpty()) {
      throw new IllegalArgumentException(
          "station " + station + " is not registered in the fleet ledger; see fleet status");
    }
    List<String> ids = new ArrayList<>(keys.keySet());
    StationAudit[] results = new StationAudit[ids.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicLong entries = new AtomicLong();
    int n = Math.max(1, Math.min(threads, ids.size()));
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Void>> workers = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        workers.add(
            pool.submit(
                () -> {
                  try (Connection c = src.open()) {
                    FleetAudit a = new FleetAudit(c);
                    for (int i = next.getAndIncrement();
                        i < ids.size();
                        i = next.getAndIncrement()) {
                      results[i] = a.station(ids.get(i), keys.get(ids.get(i)));
                    }
                    entries.addAndGet(a.entries());
                  }
                  return null;
                }));
      }
      for (Future<Void> w : workers) {
        await(w);
      }
    } finally {
      pool.shutdownNow();
    }
    long failed = 0;
    for (StationAudit r : results) {
      failed += r.ok() ? 0 : 1;
      sink.accept(r.toMap());
    }
    return new Summary(ids.size(), failed, entries.get());
  }

  private static void await(Future<Void> w) throws SQLException {
    try {
      w.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("the fleet audit was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException s) {
        throw s;
      }
      throw new IllegalStateException("fleet audit worker failed: " + e.getCause(), e.getCause());
    }
  }
}
