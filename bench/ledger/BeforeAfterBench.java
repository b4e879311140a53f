// Issue 11 before/after on one database, under the same machine load: run it once with the
// previous build's jars (chain-only verify, event payloads, no guard) and once with this build's
// (projections verified, row payloads, guard before each burn), on copies of the same database.
//
// Run: java -Xmx64m -cp "<build>/agent/target/burnguard/lib/*" bench/ledger/BeforeAfterBench.java DIR
// Only API present in both builds is used.
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
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

public class BeforeAfterBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path dbFile = dir.resolve("burnguard.db");
    byte[] pub = StationKey.readPublicKey(dir.resolve(StationKey.PUBLIC_FILE));
    long t = System.nanoTime();
    var v = new AuditVerifier(pub, false).verifyDatabase(dbFile, List.of());
    double s = (System.nanoTime() - t) / 1e9;
    p("audit verify: %,d entries in %.1f s = %,.0f entries/s", v.entries(), s, v.entries() / s);
    try (Database db = Database.open(dbFile)) {
      LedgerService service = LedgerService.open(db, Clock.systemUTC());
      String wo = "AB-" + System.nanoTime();
      service.openOrder(new OrderSpec(wo, "IPC-X1", "ipc-x1-main", "5.4.1", 1_000_000,
          new BarcodeRule("B[0-9]+", CheckDigit.NONE), DuplicatePolicy.REWORK_WITH_REASON),
          "bench");
      int n = 100;
      t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        BurnRecord r = service.startBurn(new BurnRequest("B" + i, "IPC-X1", wo, "fx1",
            "/dev/ttyUSB0", "uboot-serial", "ipc-x1-main", "5.4.1", "ab".repeat(32),
            List.of("CN=A"), "clean", "clamav/27100", "bench", "line3-st07", null));
        service.finishBurn(r.id(), BurnResult.passed("cd".repeat(32)));
      }
      s = (System.nanoTime() - t) / 1e9;
      p("burn ledger lifecycle (startBurn + finishBurn, fsynced): %.2f ms per burn", s * 1000 / n);
    }
  }

  static void p(String f, Object... a) {
    System.out.println(String.format(Locale.ROOT, f, a));
  }
}
