// Ledger benchmark (issue 6, "Benchmark"). Run: bench/ledger/run.sh [ROWS]  (default 10,000,000)
//
// Measures, on one generated database:
//   1. trace BARCODE p50/p99 in-process, against the same indexed query in the sqlite3 command line
//      (one sqlite3 process, ".timer on", so process start-up is not counted against it);
//   2. units streaming 1,000,000 rows to CSV (this JVM runs with -Xmx64m: the heap bound is
//      enforced, not estimated);
//   3. audit verify rate (entries/s), default mode and --all-signatures;
//   4. durable burn-record lifecycle writes per second (STARTED + PASSED, each its own fsync'ed
//      transaction with its audit entry).
import io.burnguard.agent.audit.AuditChain;
import io.burnguard.agent.audit.AuditVerifier;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.BurnRequest;
import io.burnguard.agent.ledger.BurnResult;
import io.burnguard.agent.ledger.BurnWriter;
import io.burnguard.agent.ledger.Ledger;
import io.burnguard.agent.ledger.UnitsQuery;
import io.burnguard.agent.orders.BarcodeRule;
import io.burnguard.agent.orders.CheckDigit;
import io.burnguard.agent.orders.DuplicatePolicy;
import io.burnguard.agent.orders.OrderSpec;
import io.burnguard.agent.orders.WorkOrders;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class LedgerBench {
  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("ledger-bench");
    Path dbFile = dir.resolve("burnguard.db");
    Clock clock = Clock.systemUTC();
    p("rows=%,d dir=%s maxHeap=%dMiB", rows, dir, Runtime.getRuntime().maxMemory() >> 20);
    try (Database db = Database.open(dbFile)) {
      StationKey key = StationKey.loadOrCreate(dir);
      AuditChain chain = AuditChain.open(db, key, clock);
      WorkOrders orders = new WorkOrders(db, chain, clock);
      Ledger ledger = new Ledger(db, chain, orders, clock);
      long units = rows * 9 / 10; // 10% of units are burned twice
      if (count(db) < rows) {
        long t = System.nanoTime();
        generate(db, rows, units);
        p("generated %,d burn records in %.1f s (%.1f MiB)", rows, secs(t),
            Files.size(dbFile) / 1048576.0);
      }
      traceBench(db, ledger, dbFile, units);
      unitsBench(ledger, rows);
      lifecycleBench(db, chain, orders, ledger);
      auditBench(db, chain, key, dbFile);
    }
  }

  /** Rows in SQLite itself; firmware version i % 10 (so each version has rows/10 rows). */
  static void generate(Database db, long rows, long units) throws Exception {
    db.write(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?)"
              + " INSERT INTO burns(barcode, model, fixture, port, driver, firmware_name,"
              + " firmware_version, firmware_sha256, signers, scan_verdict, clamd_db_version,"
              + " operator, station_id, started_at, ended_at, outcome, readback_digest,"
              + " readback_match)"
              + " SELECT printf('SN%09d', i % ?), 'IPC-X1', 'fx' || (i % 8), '/dev/ttyUSB' || (i % 8),"
              + " 'uboot-serial', 'ipc-x1-main', '5.4.' || (i % 10), lower(hex(randomblob(32))),"
              + " '[\"CN=Release Signer A\",\"CN=Release Signer B\"]', 'OK', 'clamav-27100',"
              + " 'op' || (i % 40), 'line3-st07',"
              + " strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01T00:00:00', (i * 3) || ' seconds'),"
              + " strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01T00:00:00', (i * 3 + 2) || ' seconds'),"
              + " 'PASSED', lower(hex(randomblob(32))), 1 FROM s")) {
        p.setLong(1, rows);
        p.setLong(2, units);
        p.executeUpdate();
      }
      return null;
    });
    db.write(c -> {
      c.createStatement().execute("ANALYZE");
      return null;
    });
  }

  static void traceBench(Database db, Ledger ledger, Path dbFile, long units) throws Exception {
    Random rnd = new Random(42);
    int n = 5000;
    String[] codes = new String[n];
    for (int i = 0; i < n; i++) {
      codes[i] = String.format(Locale.ROOT, "SN%09d", (long) (rnd.nextDouble() * units));
    }
    for (int i = 0; i < 500; i++) {
      ledger.trace(codes[i]); // warm-up
    }
    long[] ns = new long[n];
    int found = 0;
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      found += ledger.trace(codes[i]).size();
      ns[i] = System.nanoTime() - t;
    }
    Arrays.sort(ns);
    double p50 = ns[n / 2] / 1e6;
    double p99 = ns[n * 99 / 100] / 1e6;
    p("trace in-process (Database.read with its pooled reader, as the daemon does): n=%d rows=%d"
        + " p50=%.3f ms p99=%.3f ms max=%.3f ms", n, found, p50, p99, ns[n - 1] / 1e6);
    // sqlite3 CLI: same query text and index, one process, per-statement real time.
    // Same query on one reused connection: the query's own cost without connection set-up.
    long[] reused = new long[n];
    try (var conn = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dbFile);
        var q = conn.prepareStatement(
            "SELECT * FROM burns WHERE barcode = ? ORDER BY started_at DESC, id DESC")) {
      for (int i = 0; i < n; i++) {
        long t = System.nanoTime();
        q.setString(1, codes[i]);
        try (var rs = q.executeQuery()) {
          while (rs.next()) {
            rs.getString(2);
          }
        }
        reused[i] = System.nanoTime() - t;
      }
    }
    Arrays.sort(reused);
    p("trace in-process, one reused connection: p50=%.3f ms p99=%.3f ms", reused[n / 2] / 1e6,
        reused[n * 99 / 100] / 1e6);
    // Script in a file, output to a file: a pipe both ways would deadlock on 5000 timer lines.
    StringBuilder sql = new StringBuilder(".timer on\n");
    for (int i = 0; i < n; i++) {
      sql.append("SELECT * FROM burns WHERE barcode = '").append(codes[i])
          .append("' ORDER BY started_at DESC, id DESC;\n");
    }
    Path script = Files.createTempFile("trace", ".sql");
    Path result = Files.createTempFile("trace", ".out");
    Files.writeString(script, sql);
    Process proc = new ProcessBuilder("sqlite3", "-readonly", dbFile.toString())
        .redirectInput(script.toFile()).redirectOutput(result.toFile())
        .redirectErrorStream(true).start();
    proc.waitFor();
    String out = Files.readString(result);
    Files.delete(script);
    Files.delete(result);
    Matcher m = Pattern.compile("Run Time: real ([0-9.]+)").matcher(out);
    List<Double> cli = new ArrayList<>();
    while (m.find()) {
      cli.add(Double.parseDouble(m.group(1)) * 1000);
    }
    double[] c = cli.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (c.length > 0) {
      double cp99 = c[c.length * 99 / 100];
      p("trace sqlite3 CLI (same query, same index): n=%d p50=%.3f ms p99=%.3f ms;"
          + " in-process p99 / CLI p99 = %.2fx (timer resolution 1 ms)", c.length,
          c[c.length / 2], cp99, cp99 > 0 ? p99 / cp99 : Double.NaN);
    } else {
      p("sqlite3 CLI timing unavailable: %s", out.lines().findFirst().orElse(""));
    }
  }

  static void unitsBench(Ledger ledger, long rows) throws Exception {
    long t = System.nanoTime();
    BufferedWriter out = new BufferedWriter(
        new OutputStreamWriter(java.io.OutputStream.nullOutputStream(), StandardCharsets.UTF_8));
    BurnWriter w = BurnWriter.of(BurnWriter.Format.CSV, out);
    w.begin();
    // One version = rows/10 rows; with 10M rows that is the 1M-row recall of the issue.
    long n = ledger.units(new UnitsQuery("ipc-x1-main", "5.4.3", null, null), w);
    w.end();
    double s = secs(t);
    p("units --csv: %,d rows in %.1f s (%,.0f rows/s), completed within a %d MiB heap limit",
        n, s, n / s, Runtime.getRuntime().maxMemory() >> 20);
  }

  static void lifecycleBench(Database db, AuditChain chain, WorkOrders orders, Ledger ledger)
      throws Exception {
    String wo = "BENCH-" + System.nanoTime();
    orders.open(new OrderSpec(wo, "IPC-X1", "ipc-x1-main", "5.4.1", 1_000_000,
        new BarcodeRule("B[0-9]+", CheckDigit.NONE), DuplicatePolicy.REWORK_WITH_REASON), "bench");
    int n = 300;
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      BurnRecord r = ledger.start(new BurnRequest("B" + i, "IPC-X1", wo, "fx1", "/dev/ttyUSB0",
          "uboot-serial", "ipc-x1-main", "5.4.1", "ab".repeat(32), List.of("CN=A"), "OK",
          "clamav-27100", "bench", "line3-st07", null));
      ledger.finish(r.id(), BurnResult.passed("cd".repeat(32)));
    }
    double s = secs(t);
    p("burn lifecycle (STARTED+PASSED, 2 durable transactions + 2 audit entries + head file"
        + " rewrites): %d in %.1f s = %.0f lifecycles/s (%.0f durable writes/s)",
        n, s, n / s, 2 * n / s);
  }

  static void auditBench(Database db, AuditChain chain, StationKey key, Path dbFile)
      throws Exception {
    int target = 200_000;
    long t = System.nanoTime();
    int batch = 2000;
    for (int done = 0; done < target; done += batch) {
      chain.write(c -> {
        for (int i = 0; i < batch; i++) {
          chain.append(c, "bench.event", "bench/" + i,
              Map.of("i", i, "note", "benchmark entry with a payload of typical size"));
        }
        return null;
      });
    }
    p("audit append: %,d entries in %.1f s (batched, signing dominates)", target, secs(t));
    for (boolean all : new boolean[] {false, true}) {
      t = System.nanoTime();
      var v = new AuditVerifier(key.publicKey(), all).verifyDatabase(dbFile, List.of());
      double s = secs(t);
      p("audit verify%s: %,d entries in %.2f s = %,.0f entries/s (%d signatures checked)",
          all ? " --all-signatures" : "", v.entries(), s, v.entries() / s, v.signaturesChecked());
    }
  }

  static long count(Database db) throws Exception {
    return db.read(c -> {
      var rs = c.createStatement().executeQuery("SELECT max(id) FROM burns");
      return rs.next() ? rs.getLong(1) : 0L;
    });
  }

  static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static void p(String f, Object... a) {
    System.out.println(String.format(Locale.ROOT, f, a));
  }
}
