package io.burnguard.agent.fleet;

import io.burnguard.agent.cli.Main;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fleet benchmark (bench/fleet/run.sh, issue 16): {@code stations} real station ledgers (SQLite,
 * audit chain, Ed25519 key) with {@code burns} burns each, shipped by the real {@link FleetShipper}
 * ({@code threads} stations at a time in this one process, each with its own TLS connection) to a
 * private PostgreSQL. Then, against what was shipped: {@code fleet trace} latency, a recall of
 * every unit as CSV through the CLI (in-process), {@code fleet audit} rate, and the burn time with
 * a shipper running beside the burns versus without.
 */
public final class FleetBench {
  private FleetBench() {}

  public static void main(String[] args) throws Exception {
    int stations = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int burns = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    // Station ledgers on tmpfs when there is one: the fill (not measured) then does not wait for
    // the disk on every commit; shipping reads the same rows either way.
    Path shm = Path.of("/dev/shm");
    Path dir =
        Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "bg-fleet-bench")
            : Files.createTempDirectory("bg-fleet-bench");
    int group = Integer.getInteger("fleet.bench.group", 0);
    try (PrivatePostgres pg = PrivatePostgres.startWithReader("qa_bench", "burnguard_security")) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<SimStation> sims = List.of();
      long entries;
      if (group > 0) {
        entries = FleetGenBench.fillAndShip(pg, dir, stations, burns, batch, group, pool);
        Random r = new Random(16);
        trace(pg, () -> FleetGenBench.barcode(r.nextInt(stations * burns)));
        recall(pg, stations * burns / FleetGenBench.RECALL_EVERY, "--version", "5.4.2");
      } else {
        sims = fill(pg, dir, stations, burns, pool);
        entries = ship(pg, sims, batch, pool);
        Random r = new Random(16);
        trace(pg, () -> barcode("bench-" + r.nextInt(stations), r.nextInt(burns)));
        recall(pg, (long) stations * burns);
      }
      audit(pg, entries);
      overhead(pg, dir);
      hold(pg);
      pool.shutdown();
      for (SimStation sim : sims) {
        sim.close();
      }
    } finally {
      deleteTree(dir);
    }
  }

  static void deleteTree(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * With {@code -Dfleet.bench.hold=FILE}, keeps the server up (for psql, EXPLAIN) while FILE
   * exists.
   */
  private static void hold(PrivatePostgres pg) throws InterruptedException {
    String file = System.getProperty("fleet.bench.hold");
    if (file == null) {
      return;
    }
    report(
        "hold",
        "psql -h %s -p %d -U %s postgres; remove %s to end",
        pg.dir,
        pg.port,
        PrivatePostgres.ADMIN,
        file);
    while (Files.exists(Path.of(file))) {
      Thread.sleep(1000);
    }
  }

  private static List<SimStation> fill(
      PrivatePostgres pg, Path dir, int stations, int burns, ExecutorService pool)
      throws Exception {
    List<SimStation> sims = new ArrayList<>();
    for (int s = 0; s < stations; s++) {
      SimStation sim = new SimStation("bench-" + s, "st_bench_" + s, dir.resolve("s" + s));
      sim.register(pg);
      sims.add(sim);
    }
    long t0 = System.nanoTime();
    List<Future<?>> fill = new ArrayList<>();
    for (SimStation sim : sims) {
      fill.add(
          pool.submit(
              () -> {
                for (int i = 0; i < burns; i++) {
                  sim.burn(barcode(sim.id, i), "ipc-x1-main", "5.4.1");
                }
                return null;
              }));
    }
    for (Future<?> f : fill) {
      f.get();
    }
    report("fill", "%d stations x %d burns in %.1f s", stations, burns, secs(t0));
    return sims;
  }

  static String barcode(String station, int i) {
    return "SN-" + station.toUpperCase() + "-" + i;
  }

  private static long ship(
      PrivatePostgres pg, List<SimStation> sims, int batch, ExecutorService pool) throws Exception {
    long entries = 0;
    for (SimStation sim : sims) {
      entries += sim.chainLength();
    }
    long t0 = System.nanoTime();
    long shipped = shipAll(pg, sims, batch, pool);
    double s = secs(t0);
    report(
        "ingest",
        "stations=%d entries=%d shipped=%d batch=%d time=%.2fs rate=%.0f entries/s",
        sims.size(),
        entries,
        shipped,
        batch,
        s,
        shipped / s);
    return shipped;
  }

  /** Ships every station's whole ledger, {@code pool}'s threads stations at a time. */
  static long shipAll(PrivatePostgres pg, List<SimStation> sims, int batch, ExecutorService pool)
      throws Exception {
    List<Future<Integer>> ship = new ArrayList<>();
    for (SimStation sim : sims) {
      ship.add(
          pool.submit(
              () -> {
                try (FleetShipper s = sim.shipper(pg, batch, Duration.ofMinutes(1))) {
                  return s.shipOnce();
                }
              }));
    }
    long shipped = 0;
    for (Future<Integer> f : ship) {
      shipped += f.get();
    }
    return shipped;
  }

  private static void trace(PrivatePostgres pg, java.util.function.Supplier<String> barcodes)
      throws Exception {
    int n = 1000;
    long[] t = new long[n];
    try (Connection c = pg.as("qa_bench").open()) {
      for (int i = 0; i < n; i++) {
        String b = barcodes.get();
        long t0 = System.nanoTime();
        long rows = FleetQueries.trace(c, b, row -> {});
        t[i] = System.nanoTime() - t0;
        if (rows != 1) {
          throw new IllegalStateException("trace " + b + " found " + rows + " burns, expected 1");
        }
      }
    }
    Arrays.sort(t);
    report(
        "trace",
        "%d random barcodes: p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        n,
        t[n / 2] / 1e6,
        t[n * 99 / 100] / 1e6,
        t[n - 1] / 1e6);
  }

  /**
   * The recall, {@code -Dfleet.bench.recalls} times (default 1) in this JVM: the first is what a QA
   * engineer's CLI does; the later ones show how much of it is the JVM's warm-up.
   */
  private static void recall(PrivatePostgres pg, long units, String... filter) throws Exception {
    for (int i = Integer.getInteger("fleet.bench.recalls", 1); i > 0; i--) {
      recallOnce(pg, units, filter);
    }
  }

  private static void recallOnce(PrivatePostgres pg, long units, String... filter)
      throws Exception {
    AtomicLong chars = new AtomicLong();
    AtomicLong lines = new AtomicLong();
    Writer counting =
        new Writer() {
          @Override
          public void write(char[] b, int off, int len) {
            chars.addAndGet(len);
            for (int i = off; i < off + len; i++) {
              if (b[i] == '\n') {
                lines.incrementAndGet();
              }
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    long t0 = System.nanoTime();
    List<String> args = new ArrayList<>(List.of("fleet", "units", "--firmware", "ipc-x1-main"));
    args.addAll(List.of(filter));
    args.add("--csv");
    int exit =
        Main.run(
            cliArgs(pg, args.toArray(String[]::new)),
            new PrintWriter(counting),
            new PrintWriter(System.err, true));
    double s = secs(t0);
    long after = rt.totalMemory() - rt.freeMemory();
    report(
        "recall",
        "fleet units --csv of %d units: exit %d, %d lines, %.1f MB of CSV in %.2f s; heap before"
            + " %d MB, after %d MB (no GC between)",
        units,
        exit,
        lines.get(),
        chars.get() / 1e6,
        s,
        before >> 20,
        after >> 20);
    if (exit != 0 || lines.get() != units + 1) {
      throw new IllegalStateException(
          "recall: exit " + exit + ", " + lines.get() + " lines, expected a header and " + units);
    }
  }

  static String[] cliArgs(PrivatePostgres pg, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--url", pg.url(),
            "--role", "qa_bench",
            "--cert", pg.certs.resolve("qa_bench.pem").toString(),
            "--key", pg.certs.resolve("qa_bench.pk8").toString(),
            "--ca", pg.certs.resolve("ca.pem").toString()));
    return all.toArray(String[]::new);
  }

  private static void audit(PrivatePostgres pg, long entries) throws Exception {
    for (int threads : new int[] {1, 2, 4}) {
      long t0 = System.nanoTime();
      FleetAuditRun.Summary a =
          FleetAuditRun.run(() -> pg.as("qa_bench").open(), null, threads, row -> {});
      double s = secs(t0);
      report(
          "audit",
          "%d threads: %d entries of %d shipped verified in %.2f s = %.0f entries/s;"
              + " stations failing: %d of %d",
          threads,
          a.entries(),
          entries,
          s,
          a.entries() / s,
          a.failed(),
          a.stations());
    }
  }

  /**
   * Burn time on one station with a shipper running beside it and without, in alternating rounds
   * (the ledger grows during the run, so the two sides must share its sizes): the median of the
   * rounds' medians per side, and their ratio.
   */
  private static void overhead(PrivatePostgres pg, Path dir) throws Exception {
    try (SimStation sim = new SimStation("bench-overhead", "st_bench_overhead", dir.resolve("o"))) {
      sim.register(pg);
      pinApart(pg);
      int rounds = 10;
      int n = 100;
      // how often the shipper ships (and commits its progress) while burns run: 50 ms by default,
      // 600 times the example station.yaml's 30 s, to make its cost visible
      Duration interval = Duration.parse(System.getProperty("fleet.bench.shipInterval", "PT0.05S"));
      medianBurn(sim, "WARM", 300);
      double[] off = new double[rounds];
      double[] on = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        off[r] = medianBurn(sim, "OFF" + r, n);
        try (FleetShipper s = sim.shipper(pg, 100, interval)) {
          s.begin();
          on[r] = medianBurn(sim, "ON" + r, n);
        }
      }
      Arrays.sort(off);
      Arrays.sort(on);
      double offMedian = (off[rounds / 2 - 1] + off[rounds / 2]) / 2;
      double onMedian = (on[rounds / 2 - 1] + on[rounds / 2]) / 2;
      report(
          "overhead",
          "burn median over %d alternating rounds of %d burns: shipping off %.3f ms (rounds %.3f"
              + "-%.3f), on every %s %.3f ms (rounds %.3f-%.3f), on/off %.3f",
          rounds,
          n,
          offMedian,
          off[0],
          off[rounds - 1],
          interval,
          onMedian,
          on[0],
          on[rounds - 1],
          onMedian / offMedian);
    }
  }

  /**
   * On a machine of two or more cores, this JVM (the station: burns and shipper) goes to core 0 and
   * PostgreSQL (postmaster and backends) to core 1, as if the database ran on its own machine as it
   * does in a factory; otherwise the server's work for each shipped batch would be counted as the
   * station's. Off with -Dfleet.bench.pin=false.
   */
  private static void pinApart(PrivatePostgres pg) throws Exception {
    if (!Boolean.parseBoolean(System.getProperty("fleet.bench.pin", "true"))
        || Runtime.getRuntime().availableProcessors() < 2) {
      report("overhead", "station and PostgreSQL share every core");
      return;
    }
    taskset("-a", "-p", "-c", "0", Long.toString(ProcessHandle.current().pid()));
    long postmaster =
        Long.parseLong(Files.readAllLines(pg.data.resolve("postmaster.pid")).get(0).trim());
    List<ProcessHandle> server = new ArrayList<>();
    ProcessHandle.of(postmaster).ifPresent(server::add);
    ProcessHandle.of(postmaster).ifPresent(h -> h.descendants().forEach(server::add));
    for (ProcessHandle h : server) {
      taskset("-p", "-c", "1", Long.toString(h.pid()));
    }
    report("overhead", "station JVM on core 0, PostgreSQL (%d processes) on core 1", server.size());
  }

  private static void taskset(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("taskset"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  private static double medianBurn(SimStation sim, String tag, int n) throws Exception {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      sim.burn("SN-O-" + tag + "-" + i, "ipc-x1-main", "9.9.9");
      t[i] = System.nanoTime() - t0;
    }
    Arrays.sort(t);
    return t[n / 2] / 1e6;
  }

  static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static void report(String what, String fmt, Object... args) {
    System.out.println("[fleet-bench] " + what + ": " + String.format(fmt, args));
  }
}
