package io.burnguard.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.testing.ReleaseKit;
import io.burnguard.drivers.testing.QemuUBootBoard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Issue 5's benchmark: what BurnGuard adds to a burn. A vetted 16 MiB image is burned over TFTP
 * into a QEMU U-Boot board through the real CLI and daemon, N times; for each burn the daemon
 * reports its pipeline time and the driver's own transfer + write + read-back time, measured in the
 * same run, and the CLI's wall time is measured around the whole command.
 *
 * <p>Run: {@code bench/burn/run.sh [BURNS] [IMAGE_MIB]} (root). Prints a table for BENCHMARKS.md.
 */
public final class BurnOverheadBench {
  private BurnOverheadBench() {}

  public static void main(String[] args) throws Exception {
    int burns = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int mib = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    Path tmp = Files.createTempDirectory("burnguard-bench");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    String roles = "  root: engineer\n  nogroup: operator\n";
    try (ReleaseKit kit = new ReleaseKit(tmp.resolve("kit"));
        ClamdFixture clamd = ClamdFixture.builder().start();
        QemuUBootBoard board =
            QemuUBootBoard.start(tmp, QemuUBootBoard.Options.tftp((long) (mib * 2) << 20))) {
      board.powerOn();
      Files.createDirectories(tmp.resolve("station"));
      DaemonHarness h =
          new DaemonHarness(
              tmp.resolve("station"), clamd.unixAddress().toString(), roles, "nogroup", "");
      h.serverAndTrust(kit.stationYaml(2));
      h.writeConfig(
          roles, "nogroup", "fixtures:\n" + E2EStation.fixture("fx1", board) + E2EStation.models());
      try (h) {
        h.start();
        byte[] image = new byte[mib << 20];
        new Random(5).nextBytes(image);
        kit.publish("bench-fw", "1.0.0", List.of("IPC-X1"), image);
        check(h.cli("firmware", "fetch", "bench-fw", "1.0.0"));
        check(
            h.cli(
                "order",
                "open",
                "WO-BENCH",
                "--model",
                "IPC-X1",
                "--firmware",
                "bench-fw",
                "--version",
                "1.0.0",
                "--quantity",
                String.valueOf(burns + 2)));
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < burns + 2; i++) {
          long t0 = System.nanoTime();
          DaemonHarness.Run r =
              h.cliAs(
                  "nobody",
                  "burn",
                  "--fixture",
                  "fx1",
                  "--barcode",
                  E2EStation.barcode(500 + i),
                  "--json");
          double wall = (System.nanoTime() - t0) / 1e6;
          check(r);
          JsonNode t = Wire.mapper().readTree(r.out()).path("timing");
          double[] row = {
            wall,
            t.path("pipelineMillis").asDouble(),
            t.path("driverMillis").asDouble(),
            t.path("overheadMillis").asDouble()
          };
          if (i >= 2) {
            rows.add(row);
          }
          System.out.printf(
              Locale.ROOT,
              "burn %2d%s: wall %8.1f ms, daemon pipeline %8.1f ms, driver %8.1f ms,"
                  + " daemon overhead %6.1f ms; stages %s%n",
              i,
              i < 2 ? " (warm-up)" : "",
              row[0],
              row[1],
              row[2],
              row[3],
              t.path("stagesMillis"));
        }
        double wall = median(rows, 0);
        double pipeline = median(rows, 1);
        double driver = median(rows, 2);
        double overhead = median(rows, 3);
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "| image | burns | driver (transfer+write+read-back) | daemon pipeline |"
                + " daemon overhead | overhead / burn | CLI wall | CLI wall - driver |%n");
        System.out.printf(
            Locale.ROOT,
            "| %d MiB | %d | %.0f ms | %.0f ms | **%.0f ms** | **%.1f %%** | %.0f ms | %.0f ms |%n",
            mib,
            rows.size(),
            driver,
            pipeline,
            overhead,
            100 * overhead / pipeline,
            wall,
            wall - driver);
      }
    } finally {
      try (var s = Files.walk(tmp)) {
        s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void check(DaemonHarness.Run r) {
    if (r.exit() != 0) {
      throw new IllegalStateException("step failed: " + r);
    }
  }

  private static double median(List<double[]> rows, int col) {
    List<Double> v = new ArrayList<>();
    rows.forEach(r -> v.add(r[col]));
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }
}
