// Fleet benchmark (issue 16): `fleet trace` latency against a running fleet database, as QA's
// reader role, outside the benchmark's own JVM (e.g. against the one FleetBench keeps up with
// -Dfleet.bench.hold=FILE). Barcodes are those of the generated stations (SN%010d, FLEET_GEN);
// each trace must find exactly one burn.
//   java -cp "agent/target/burnguard/lib/*" bench/fleet/TraceProbe.java \
//     JDBC_URL CERT_DIR BURNS TRACES [SEED]
// CERT_DIR holds qa_bench.pem, qa_bench.pk8 and ca.pem (the private server's certs directory).
import io.burnguard.agent.fleet.FleetConnection;
import io.burnguard.agent.fleet.FleetQueries;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

public class TraceProbe {
  public static void main(String[] a) throws Exception {
    if (a.length < 4) {
      System.err.println("usage: TraceProbe.java JDBC_URL CERT_DIR BURNS TRACES [SEED]");
      System.exit(2);
    }
    Path certs = Path.of(a[1]);
    FleetConnection fleet = new FleetConnection(a[0], "qa_bench", certs.resolve("qa_bench.pem"),
        certs.resolve("qa_bench.pk8"), certs.resolve("ca.pem"));
    long burns = Long.parseLong(a[2]);
    int n = Integer.parseInt(a[3]);
    Random r = new Random(a.length > 4 ? Long.parseLong(a[4]) : 16);
    try (Connection c = fleet.open()) {
      for (int round = 0; round < 3; round++) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
          String barcode = String.format(Locale.ROOT, "SN%010d", (long) (r.nextDouble() * burns));
          long t0 = System.nanoTime();
          long rows = FleetQueries.trace(c, barcode, row -> {});
          t[i] = System.nanoTime() - t0;
          if (rows != 1) {
            throw new IllegalStateException("trace " + barcode + " found " + rows + " burns");
          }
        }
        Arrays.sort(t);
        System.out.printf(Locale.ROOT, "trace round %d: %d barcodes, p50 %.2f ms, p99 %.2f ms,"
            + " max %.2f ms%n", round, n, t[n / 2] / 1e6, t[n * 99 / 100] / 1e6, t[n - 1] / 1e6);
      }
    }
  }
}
