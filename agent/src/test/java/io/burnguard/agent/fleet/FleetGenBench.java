package io.burnguard.agent.fleet;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;

/**
 * The fleet benchmark at factory scale (bench/fleet/run.sh with FLEET_GEN=GROUP): station ledgers
 * are not filled burn by burn through the ledger service (hours for 10M burns) but written by the
 * issue-11 bulk generator (bench/ledger/gen, {@code LedgerGen.station}, on the class path), which
 * writes what the daemon writes, with each station's own key, id and burn numbers. {@code group}
 * stations at a time are generated (not measured), registered, shipped by the real {@link
 * FleetShipper} ({@code pool}'s threads at a time; measured) and deleted, so the disk holds one
 * group of station ledgers beside the growing central database.
 */
final class FleetGenBench {
  /**
   * Every 100th burn is of version 5.4.2 (-Dfleet.bench.recallEvery): the recall's units (100k of
   * 10M).
   */
  static final int RECALL_EVERY = Integer.getInteger("fleet.bench.recallEvery", 100);

  private FleetGenBench() {}

  static String barcode(long burn) {
    return String.format(Locale.ROOT, "SN%010d", burn);
  }

  /** Generates, registers and ships {@code stations} stations; returns the entries shipped. */
  static long fillAndShip(
      PrivatePostgres pg,
      Path dir,
      int stations,
      int burns,
      int batch,
      int group,
      ExecutorService pool)
      throws Exception {
    Method gen =
        Class.forName("io.burnguard.agent.audit.LedgerGen")
            .getMethod("station", Path.class, String.class, long.class, long.class, int.class);
    double genSecs = 0;
    double shipSecs = 0;
    long shipped = 0;
    for (int first = 0; first < stations; first += group) {
      long t0 = System.nanoTime();
      List<SimStation> sims = new ArrayList<>();
      for (int s = first; s < Math.min(stations, first + group); s++) {
        Path d = Files.createDirectories(dir.resolve("g" + s));
        String id = "bench-" + s;
        gen.invoke(null, d, id, (long) s * burns, (long) (s + 1) * burns, RECALL_EVERY);
        SimStation sim = new SimStation(id, "st_bench_" + s, d);
        sim.register(pg);
        sims.add(sim);
      }
      genSecs += FleetBench.secs(t0);
      long t1 = System.nanoTime();
      long n = FleetBench.shipAll(pg, sims, batch, pool);
      double s = FleetBench.secs(t1);
      shipSecs += s;
      shipped += n;
      for (SimStation sim : sims) {
        sim.close();
        FleetBench.deleteTree(sim.dir);
      }
      FleetBench.report(
          "ingest",
          "stations %d-%d: %d entries in %.1f s = %.0f entries/s; so far %d entries, %.0f/s"
              + " (generation, not counted, %.0f s so far)",
          first,
          first + sims.size() - 1,
          n,
          s,
          n / s,
          shipped,
          shipped / shipSecs,
          genSecs);
    }
    FleetBench.report(
        "ingest",
        "stations=%d burns=%d entries shipped=%d batch=%d shipping time=%.1f s rate=%.0f entries/s",
        stations,
        (long) stations * burns,
        shipped,
        batch,
        shipSecs,
        shipped / shipSecs);
    return shipped;
  }
}
