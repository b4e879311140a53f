package io.burnguard.agent.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Shipping rate (bench/fleet/run.sh): {@code stations} real station ledgers with {@code burns}
 * burns each ship in parallel, each with its own shipper and connection, to a private PostgreSQL
 * over TLS. Prints entries/s for the whole fleet.
 */
public final class FleetBench {
  private FleetBench() {}

  public static void main(String[] args) throws Exception {
    int stations = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int burns = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    Path dir = Files.createTempDirectory("bg-fleet-bench");
    try (PrivatePostgres pg = PrivatePostgres.start()) {
      try (var c = pg.admin()) {
        FleetSchema.migrate(c);
      }
      List<SimStation> sims = new ArrayList<>();
      for (int s = 0; s < stations; s++) {
        SimStation sim = new SimStation("bench-" + s, "st_bench_" + s, dir.resolve("s" + s));
        sim.register(pg);
        sims.add(sim);
      }
      ExecutorService pool = Executors.newFixedThreadPool(stations);
      List<Future<?>> fill = new ArrayList<>();
      for (SimStation sim : sims) {
        fill.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < burns; i++) {
                    sim.burn("SN-" + sim.id.toUpperCase() + "-" + i, "ipc-x1-main", "5.4.1");
                  }
                  return null;
                }));
      }
      for (Future<?> f : fill) {
        f.get();
      }
      long entries = 0;
      for (SimStation sim : sims) {
        entries += sim.chainLength();
      }
      long t0 = System.nanoTime();
      List<Future<Integer>> ship = new ArrayList<>();
      for (SimStation sim : sims) {
        ship.add(pool.submit(() -> sim.shipper(pg, batch, Duration.ofMinutes(1)).shipOnce()));
      }
      long shipped = 0;
      for (Future<Integer> f : ship) {
        shipped += f.get();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      pool.shutdown();
      String line =
          String.format(
              "stations=%d entries=%d shipped=%d batch=%d time=%.2fs rate=%.0f entries/s",
              stations, entries, shipped, batch, s, shipped / s);
      System.out.println(line);
      for (SimStation sim : sims) {
        sim.close();
      }
    }
  }
}
