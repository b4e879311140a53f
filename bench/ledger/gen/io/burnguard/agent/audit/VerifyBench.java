// Issue 11 benchmark: `audit verify` of a database file, timed, with the heap peak. Run it under
// -Xmx64m (bench/ledger/verify-xmx64m.sh). Prints one "full" line (AuditVerifier.verifyDatabase:
// chain walk + signature search + heads + every projected table compared both ways, exactly what
// `burnguard audit verify --db` runs) and one "projections" line (ProjectionVerifier alone on
// its own read snapshot), so chain only = full - projections in the same run. Exit 0 only when
// the database verifies. The heap cap itself is enforced by the JVM (-Xmx64m with
// -XX:+ExitOnOutOfMemoryError in the script): going over it ends the run with a non-zero exit.
package io.burnguard.agent.audit;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import org.sqlite.SQLiteConfig;

public final class VerifyBench {
  public static void main(String[] a) throws Exception {
    Path dbFile = Path.of(a[0]);
    boolean projectionsToo = a.length < 2 || !a[1].equals("full-only");
    long cap = Runtime.getRuntime().maxMemory();
    byte[] pub = StationKey.readPublicKey(dbFile.resolveSibling(StationKey.PUBLIC_FILE));
    resetPeaks();
    long t = System.nanoTime();
    long cpu0 = cpu();
    AuditVerification v = new AuditVerifier(pub, false).verifyDatabase(dbFile, List.of());
    double full = (System.nanoTime() - t) / 1e9;
    double fullCpu = (cpu() - cpu0) / 1e9;
    long peak = heapPeak();
    p("full: %,d entries, %,d table rows compared, %d signatures checked, %.1f s = %,.0f"
        + " entries/s; heap peak %.1f MiB (cap %d MiB)", v.entries(), v.rowsCompared(),
        v.signaturesChecked(), full, v.entries() / full, peak / 1048576.0, cap >> 20);
    p("full, CPU time of the verifying thread (SQLite included): %.1f s = %,.0f entries per"
        + " CPU-second", fullCpu, v.entries() / fullCpu);
    if (projectionsToo) {
      SQLiteConfig cfg = new SQLiteConfig();
      cfg.setReadOnly(true);
      t = System.nanoTime();
      long pcpu0 = cpu();
      long rows;
      try (Connection c = cfg.createConnection("jdbc:sqlite:" + dbFile)) {
        c.setAutoCommit(false);
        ProjectionVerifier pv = new ProjectionVerifier();
        pv.verify(c, Projection.ALL);
        rows = pv.rows();
        if (pv.total() != 0) {
          throw new IllegalStateException(pv.total() + " differences on the second pass");
        }
      }
      double proj = (System.nanoTime() - t) / 1e9;
      double projCpu = (cpu() - pcpu0) / 1e9;
      p("projections: %,d rows in %.1f s; chain only (full - projections) %.1f s = %,.0f"
          + " entries/s; projections add %.0f%%", rows, proj, full - proj,
          v.entries() / (full - proj), 100 * proj / (full - proj));
      p("CPU: projections %.1f s, chain only %.1f s = %,.0f entries per CPU-second; projections"
          + " add %.0f%%", projCpu, fullCpu - projCpu, v.entries() / (fullCpu - projCpu),
          100 * projCpu / (fullCpu - projCpu));
      peak = Math.max(peak, heapPeak());
    }
    p("heap peak over the run %.1f MiB of %d MiB", peak / 1048576.0, cap >> 20);
  }

  /** CPU time of this thread (the verification is single-threaded; JIT and GC run beside it). */
  static long cpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  static void resetPeaks() {
    for (MemoryPoolMXBean m : ManagementFactory.getMemoryPoolMXBeans()) {
      m.resetPeakUsage();
    }
  }

  /** Sum of the heap pools' peak usage (garbage included): an upper bound of the live peak. */
  static long heapPeak() {
    long peak = 0;
    for (MemoryPoolMXBean m : ManagementFactory.getMemoryPoolMXBeans()) {
      if (m.getType() == MemoryType.HEAP) {
        peak += m.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  static void p(String f, Object... a) {
    System.out.println(String.format(Locale.ROOT, f, a));
  }
}
