// Issue 11 benchmark: on an existing (e.g. generated) station database, the daemon start (ledger
// snapshot check + the guard's full chain walk) and the ledger part of each burn (guard check,
// STARTED, PASSED, fsynced), as the daemon runs them. Changes the database (adds one order and
// BURNS burns): run it on a copy or after the verify figures.
//
// Run: java -Xmx64m -cp "agent/target/burnguard/lib/*" bench/ledger/LifecycleBench.java DB [BURNS]
import io.burnguard.agent.db.Database;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.BurnRequest;
import io.burnguard.agent.ledger.BurnResult;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.orders.BarcodeRule;
import io.burnguard.agent.orders.CheckDigit;
import io.burnguard.agent.orders.DuplicatePolicy;
import io.burnguard.agent.orders.OrderSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

public class LifecycleBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    try (Database db = Database.open(Path.of(args[0]))) {
      long t = System.nanoTime();
      LedgerService service = LedgerService.open(db, Clock.systemUTC());
      p("daemon start (snapshot check + guard walk, from its checkpoint when there is one): %.1f s", (System.nanoTime() - t) / 1e9);
      String wo = "LIFE-" + System.nanoTime();
      service.openOrder(new OrderSpec(wo, "IPC-X1", "ipc-x1-main", "5.4.1", 1_000_000,
          new BarcodeRule("L[0-9]+", CheckDigit.NONE), DuplicatePolicy.NEVER), "bench");
      long[] burn = new long[n];
      long[] guard = new long[n];
      for (int i = 0; i < n; i++) {
        long b = System.nanoTime();
        service.requireTrustedState(); // startBurn runs it again; timed alone here
        guard[i] = System.nanoTime() - b;
        BurnRecord r = service.startBurn(new BurnRequest("L" + i, "IPC-X1", wo, "fx1",
            "/dev/ttyUSB0", "uboot-serial", "ipc-x1-main", "5.4.1", "ab".repeat(32),
            List.of("CN=A"), "clean", "clamav/27100", "bench", "line3-st07", null));
        service.finishBurn(r.id(), BurnResult.passed("cd".repeat(32)));
        burn[i] = System.nanoTime() - b;
      }
      Arrays.sort(burn);
      Arrays.sort(guard);
      p("burn ledger lifecycle x%d: p50 %.1f ms, p90 %.1f ms per burn; guard check alone p50 %.2f"
          + " ms, p99 %.2f ms", n, burn[n / 2] / 1e6, burn[n * 9 / 10] / 1e6, guard[n / 2] / 1e6,
          guard[n * 99 / 100] / 1e6);
    }
  }

  static void p(String f, Object... a) {
    System.out.println(String.format(Locale.ROOT, f, a));
  }
}
