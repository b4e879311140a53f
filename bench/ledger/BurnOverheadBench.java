// Issue 11 benchmark: the ledger's share of a burn, before and after the ledger-integrity work,
// on a fresh station database, under the same machine load: run it once with the previous build's
// jars (before issue 11: event payloads, no journal, no guard) and once with this build's, one
// after the other, each on an empty directory, and compare.
//
// Per burn, as the daemon's burn runs them: the state check before vetting (this build only:
// LedgerService.requireTrustedState, found by reflection), the burn-time re-verification's write of
// the withdrawal sequence (this build: passes the vetting-write gate), startBurn (its own state
// check, STARTED row, chained, fsynced) and finishBurn (PASSED, fsynced). Prints wall time per burn
// (p50, p90) and the CPU time of the burning thread per burn (robust to other load on the machine).
//
// Run: java -Xmx64m -cp "<build>/agent/target/burnguard/lib/*" bench/ledger/BurnOverheadBench.java DIR [BURNS]
import io.burnguard.agent.db.Database;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.BurnRequest;
import io.burnguard.agent.ledger.BurnResult;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.orders.BarcodeRule;
import io.burnguard.agent.orders.CheckDigit;
import io.burnguard.agent.orders.DuplicatePolicy;
import io.burnguard.agent.orders.OrderSpec;
import io.burnguard.agent.vetting.SqliteVersionStore;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

public class BurnOverheadBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int warm = 50;
    Files.createDirectories(dir);
    var mx = ManagementFactory.getThreadMXBean();
    try (Database db = Database.open(dir.resolve("burnguard.db"))) {
      LedgerService s = LedgerService.open(db, Clock.systemUTC());
      Method check = null;
      try {
        check = LedgerService.class.getMethod("requireTrustedState");
      } catch (NoSuchMethodException before) {
        // the build before issue 11 has no state check
      }
      SqliteVersionStore versions = new SqliteVersionStore(db);
      String wo = "OV-" + System.nanoTime();
      s.openOrder(new OrderSpec(wo, "IPC-X1", "ipc-x1-main", "5.4.1", 1_000_000,
          new BarcodeRule("V[0-9]+", CheckDigit.NONE), DuplicatePolicy.NEVER), "bench");
      long[] wall = new long[n];
      long cpu = 0;
      long[] step = new long[4]; // CPU: state check, withdrawal write, startBurn, finishBurn
      for (int i = -warm; i < n; i++) {
        long t = System.nanoTime();
        long c = mx.getCurrentThreadCpuTime();
        if (check != null) {
          check.invoke(s);
        }
        long c1 = mx.getCurrentThreadCpuTime();
        versions.recordWithdrawalSequence(7);
        long c2 = mx.getCurrentThreadCpuTime();
        BurnRecord r = s.startBurn(new BurnRequest("V" + (i + warm), "IPC-X1", wo, "fx1",
            "/dev/ttyUSB0", "uboot-serial", "ipc-x1-main", "5.4.1", "ab".repeat(32),
            List.of("CN=A"), "clean", "clamav/27100", "bench", "line3-st07", null));
        long c3 = mx.getCurrentThreadCpuTime();
        s.finishBurn(r.id(), BurnResult.passed("cd".repeat(32)));
        if (i >= 0) {
          long c4 = mx.getCurrentThreadCpuTime();
          step[0] += c1 - c;
          step[1] += c2 - c1;
          step[2] += c3 - c2;
          step[3] += c4 - c3;
          wall[i] = System.nanoTime() - t;
          cpu += mx.getCurrentThreadCpuTime() - c;
        }
      }
      Arrays.sort(wall);
      p("%s: %d burns: wall p50 %.2f ms, p90 %.2f ms; CPU %.3f ms per burn", check == null
          ? "before (no state check)" : "after (state checks + gate)", n, wall[n / 2] / 1e6,
          wall[n * 9 / 10] / 1e6, cpu / 1e6 / n);
      p("  CPU per burn: state check %.3f ms, withdrawal-sequence write %.3f ms, startBurn %.3f ms,"
          + " finishBurn %.3f ms", step[0] / 1e6 / n, step[1] / 1e6 / n, step[2] / 1e6 / n,
          step[3] / 1e6 / n);
    }
  }

  static void p(String f, Object... a) {
    System.out.println(String.format(Locale.ROOT, f, a));
  }
}
