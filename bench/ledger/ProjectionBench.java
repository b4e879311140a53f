// Issue 11 benchmark: audit verify with every projected table rebuilt and compared, and the
// per-burn cost of chaining full rows plus the vetting-state guard.
//
// Run: bench/ledger/run-projections.sh [BURNS] [DIR]   (the JVM runs with -Xmx64m)
import io.burnguard.agent.audit.AuditVerifier;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.BurnRequest;
import io.burnguard.agent.ledger.BurnResult;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.orders.BarcodeRule;
import io.burnguard.agent.orders.CheckDigit;
import io.burnguard.agent.orders.DuplicatePolicy;
import io.burnguard.agent.orders.OrderSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

public class ProjectionBench {
  public static void main(String[] args) throws Exception {
    long burns = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("projection-bench");
    Path dbFile = dir.resolve("burnguard.db");
    Clock clock = Clock.systemUTC();
    p("burns=%,d dir=%s maxHeap=%dMiB", burns, dir, Runtime.getRuntime().maxMemory() >> 20);
    try (Database db = Database.open(dbFile)) {
      long t = System.nanoTime();
      LedgerService service = LedgerService.open(db, clock); // snapshot marker + guard walk
      p("daemon start (ledger snapshot check + full guard walk): %.2f s", secs(t));
      long have = count(db);
      if (have < burns) {
        t = System.nanoTime();
        generate(db, have, burns);
        p("generated %,d burns through the writer, each chained twice (STARTED row, then PASSED"
            + " row) by the commit hook: %.1f s = %,.0f row entries/s; db %.0f MiB",
            burns - have, secs(t), 2 * (burns - have) / secs(t), Files.size(dbFile) / 1048576.0);
      }
      verify(dir, dbFile);
      lifecycle(service);
    }
  }

  /** Burns in batches: insert STARTED (one transaction), then mark PASSED (another). */
  static void generate(Database db, long from, long to) throws Exception {
    long batch = 20_000;
    for (long lo = from; lo < to; lo += batch) {
      long n = Math.min(batch, to - lo);
      long start = lo;
      db.write(c -> {
        try (PreparedStatement p = c.prepareStatement(
            "WITH RECURSIVE s(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?)"
                + " INSERT INTO burns(barcode, model, fixture, port, driver, firmware_name,"
                + " firmware_version, firmware_sha256, signers, scan_verdict, clamd_db_version,"
                + " operator, station_id, started_at, outcome)"
                + " SELECT printf('SN%09d', i), 'IPC-X1', 'fx' || (i % 8), '/dev/ttyUSB' || (i % 8),"
                + " 'uboot-serial', 'ipc-x1-main', '5.4.' || (i % 10), lower(hex(randomblob(32))),"
                + " '[\"CN=Release Signer A\",\"CN=Release Signer B\"]', 'clean', 'clamav/27100',"
                + " 'op' || (i % 40), 'line3-st07',"
                + " strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01T00:00:00', (i * 3) || ' seconds'),"
                + " 'STARTED' FROM s")) {
          p.setLong(1, start);
          p.setLong(2, start + n);
          p.executeUpdate();
        }
        return null;
      });
      db.write(c -> {
        try (PreparedStatement p = c.prepareStatement(
            "UPDATE burns SET outcome = 'PASSED', ended_at = started_at,"
                + " readback_digest = lower(hex(randomblob(32))), readback_match = 1"
                + " WHERE outcome = 'STARTED'")) {
          p.executeUpdate();
        }
        return null;
      });
    }
  }

  static void verify(Path dir, Path dbFile) throws Exception {
    byte[] pub = StationKey.readPublicKey(dir.resolve(StationKey.PUBLIC_FILE));
    for (MemoryPoolMXBean m : ManagementFactory.getMemoryPoolMXBeans()) {
      m.resetPeakUsage();
    }
    long t = System.nanoTime();
    var v = new AuditVerifier(pub, false).verifyDatabase(dbFile, List.of());
    double s = secs(t);
    long peak = 0;
    for (MemoryPoolMXBean m : ManagementFactory.getMemoryPoolMXBeans()) {
      if (m.getType() == MemoryType.HEAP) {
        peak += m.getPeakUsage().getUsed();
      }
    }
    p("audit verify with projections: %,d entries + %,d table rows compared in %.1f s ="
        + " %,.0f entries/s; heap peak (sum of pool peaks) %.1f MiB of %d MiB",
        v.entries(), v.rowsCompared(), s, v.entries() / s, peak / 1048576.0,
        Runtime.getRuntime().maxMemory() >> 20);
  }

  /** The ledger part of a burn as the daemon runs it: guard check, STARTED, PASSED. */
  static void lifecycle(LedgerService service) throws Exception {
    String wo = "BENCH-" + System.nanoTime();
    service.openOrder(new OrderSpec(wo, "IPC-X1", "ipc-x1-main", "5.4.1", 1_000_000,
        new BarcodeRule("B[0-9]+", CheckDigit.NONE), DuplicatePolicy.REWORK_WITH_REASON), "bench");
    int n = 300;
    long[] guard = new long[n];
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long g = System.nanoTime();
      service.requireTrustedState(); // startBurn runs it again; timed alone here
      guard[i] = System.nanoTime() - g;
      BurnRecord r = service.startBurn(new BurnRequest("B" + i, "IPC-X1", wo, "fx1",
          "/dev/ttyUSB0", "uboot-serial", "ipc-x1-main", "5.4.1", "ab".repeat(32),
          List.of("CN=A"), "clean", "clamav/27100", "bench", "line3-st07", null));
      service.finishBurn(r.id(), BurnResult.passed("cd".repeat(32)));
    }
    double s = secs(t);
    Arrays.sort(guard);
    p("burn ledger lifecycle (guard check + STARTED + PASSED, row entries, fsynced): %d in"
        + " %.1f s = %.2f ms per burn; guard check alone p50 %.3f ms p99 %.3f ms",
        n, s, s * 1000 / n, guard[n / 2] / 1e6, guard[n * 99 / 100] / 1e6);
  }

  static long count(Database db) throws Exception {
    return db.read(c -> {
      try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM burns")) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static void p(String f, Object... a) {
    System.out.println(String.format(Locale.ROOT, f, a));
  }
}
