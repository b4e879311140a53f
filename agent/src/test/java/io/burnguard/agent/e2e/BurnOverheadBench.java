package io.burnguard.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.testing.ReleaseKit;
import io.burnguard.drivers.testing.QemuUBootBoard;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
 * <p>Issue 17 adds two comparisons in the same run: with system property {@code
 * burnguard.app.before} (an app directory built from an earlier commit), each burn is also made
 * through that launcher, interleaved; and with STATION_UNITS, one {@code burnguard station} process
 * burns that many units read from its standard input, for units per hour against {@code burn}.
 *
 * <p>Run: {@code bench/burn/run.sh [BURNS] [IMAGE_MIB] [STATION_UNITS]} (root). Prints tables for
 * BENCHMARKS.md.
 */
public final class BurnOverheadBench {
  private BurnOverheadBench() {}

  public static void main(String[] args) throws Exception {
    int burns = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int mib = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int stationUnits = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    Path tmp = benchDir();
    try (ReleaseKit kit = new ReleaseKit(tmp.resolve("kit"));
        ClamdFixture clamd = ClamdFixture.builder().start();
        QemuUBootBoard board =
            QemuUBootBoard.start(tmp, QemuUBootBoard.Options.tftp((long) (mib * 2) << 20))) {
      DaemonHarness h = harness(tmp, kit, clamd, board);
      try (h) {
        h.start();
        prepare(h, kit, mib, "WO-BENCH", 3 * (burns + 2) + stationUnits);
        Path before = beforeLauncher();
        waitForCdsArchive(h);
        List<double[]> rows = new ArrayList<>();
        List<Double> beforeMinusDriver = new ArrayList<>();
        int unit = 500;
        for (int i = 0; i < burns + 2; i++) {
          // interleaved, and which launcher goes first alternates
          double beforeOverhead = Double.NaN;
          if (before != null && i % 2 == 1) {
            beforeOverhead = burnBefore(h, before, E2EStation.barcode(unit++));
          }
          double[] row = burn(h, E2EStation.barcode(unit++));
          if (before != null && i % 2 == 0) {
            beforeOverhead = burnBefore(h, before, E2EStation.barcode(unit++));
          }
          if (i >= 2) {
            rows.add(row);
            beforeMinusDriver.add(beforeOverhead);
          }
          System.out.printf(
              Locale.ROOT,
              "burn %2d%s: wall %8.1f ms (today's launcher: wall - driver %8.1f ms), pipeline %8.1f ms,"
                  + " driver %8.1f ms, daemon overhead %6.1f ms%n",
              i,
              i < 2 ? " (warm-up)" : "",
              row[0],
              beforeOverhead,
              row[1],
              row[2],
              row[3]);
        }
        report(mib, rows, beforeMinusDriver);
        if (stationUnits > 0) {
          station(h, stationUnits, unit, median(rows, 0));
        }
      }
    } finally {
      try (var s = Files.walk(tmp)) {
        s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static final String ROLES = "  root: engineer\n  nogroup: operator\n";

  /** A new temporary directory the daemon's users can read. */
  static Path benchDir() throws java.io.IOException {
    Path tmp = Files.createTempDirectory("burnguard-bench");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    return tmp;
  }

  /** station.yaml's fixtures: fixture fx1 on {@code board}, and the models. */
  static String fixtures(QemuUBootBoard board) {
    return "fixtures:\n" + E2EStation.fixture("fx1", board) + E2EStation.models();
  }

  /**
   * The board powered on and a daemon (not started) in {@code tmp}/station with the release
   * server's trust, {@link #ROLES} and {@link #fixtures}.
   */
  static DaemonHarness harness(Path tmp, ReleaseKit kit, ClamdFixture clamd, QemuUBootBoard board)
      throws Exception {
    board.powerOn();
    Files.createDirectories(tmp.resolve("station"));
    DaemonHarness h =
        new DaemonHarness(
            tmp.resolve("station"), clamd.unixAddress().toString(), ROLES, "nogroup", "");
    h.serverAndTrust(kit.stationYaml(2));
    h.writeConfig(ROLES, "nogroup", fixtures(board));
    return h;
  }

  /**
   * Publishes a random {@code mib} MiB image as bench-fw 1.0.0 for model IPC-X1, fetches it into
   * the running daemon and opens work order {@code order} for {@code units} units.
   */
  static void prepare(DaemonHarness h, ReleaseKit kit, int mib, String order, int units)
      throws Exception {
    byte[] image = new byte[mib << 20];
    new Random(5).nextBytes(image);
    kit.publish("bench-fw", "1.0.0", List.of("IPC-X1"), image);
    check(h.cli("firmware", "fetch", "bench-fw", "1.0.0"));
    check(
        h.cli(
            "order",
            "open",
            order,
            "--model",
            "IPC-X1",
            "--firmware",
            "bench-fw",
            "--version",
            "1.0.0",
            "--quantity",
            String.valueOf(units)));
  }

  /** One burn through the launcher under test: CLI wall, daemon pipeline, driver, overhead. */
  static double[] burn(DaemonHarness h, String barcode) throws Exception {
    long t0 = System.nanoTime();
    DaemonHarness.Run r =
        h.cliAs("nobody", "burn", "--fixture", "fx1", "--barcode", barcode, "--json");
    double wall = (System.nanoTime() - t0) / 1e6;
    check(r);
    JsonNode t = Wire.mapper().readTree(r.out()).path("timing");
    double[] row = new double[4 + STAGES.size()];
    row[0] = wall;
    row[1] = t.path("pipelineMillis").asDouble();
    row[2] = t.path("driverMillis").asDouble();
    row[3] = t.path("overheadMillis").asDouble();
    for (int i = 0; i < STAGES.size(); i++) {
      row[4 + i] = t.path("stagesMillis").path(STAGES.get(i)).asDouble();
    }
    return row;
  }

  /** The daemon's stages in the burn result's timing.stagesMillis, in pipeline order. */
  private static final List<String> STAGES =
      List.of("order", "vet", "scan", "started", "prepare", "driver", "finished");

  /** The launcher to compare with (system property burnguard.app.before), or null. */
  private static Path beforeLauncher() {
    String app = System.getProperty("burnguard.app.before", "");
    return app.isEmpty() ? null : Path.of(app, "bin", "burnguard");
  }

  /** One burn through today's launcher against the same daemon and board: CLI wall - driver. */
  private static double burnBefore(DaemonHarness h, Path launcher, String barcode)
      throws Exception {
    Path out = Files.createTempFile("bench-before", ".out");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(
                  "runuser",
                  "-u",
                  "nobody",
                  "--",
                  launcher.toString(),
                  "burn",
                  "--fixture",
                  "fx1",
                  "--barcode",
                  barcode,
                  "--json")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .redirectOutput(out.toFile());
      pb.environment().put("BURNGUARD_CONFIG", h.config().toString());
      pb.environment().remove("BURNGUARD_SOCKET");
      long t0 = System.nanoTime();
      Process p = pb.start();
      p.getOutputStream().close();
      int exit = p.waitFor();
      double wall = (System.nanoTime() - t0) / 1e6;
      if (exit != 0) {
        throw new IllegalStateException("today's launcher: burn failed: " + Files.readString(out));
      }
      JsonNode t = Wire.mapper().readTree(Files.readString(out)).path("timing");
      return wall - t.path("driverMillis").asDouble();
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /**
   * With BURNGUARD_CDS set, the first CLI run makes the class-data archive in the background (the
   * launcher's first-run path); the burns start once it is there, so all of them use it.
   */
  private static void waitForCdsArchive(DaemonHarness h) throws Exception {
    String cds = System.getenv("BURNGUARD_CDS");
    if (cds == null || cds.isEmpty() || cds.equals("off")) {
      return;
    }
    check(h.cli("--version"));
    Path archive = Path.of(cds);
    Path making = Path.of(cds + ".making");
    if (!DaemonHarness.waitFor(
        Duration.ofMinutes(5), () -> Files.isReadable(archive) && !Files.exists(making))) {
      throw new IllegalStateException("no class-data archive at " + archive + " after 5 min");
    }
    System.out.println("class-data archive ready: " + archive);
  }

  private static void report(int mib, List<double[]> rows, List<Double> beforeMinusDriver) {
    double wall = median(rows, 0);
    double driver = median(rows, 2);
    List<Double> minusDriver = new ArrayList<>();
    rows.forEach(r -> minusDriver.add(r[0] - r[2]));
    List<Double> minusPipeline = new ArrayList<>();
    rows.forEach(r -> minusPipeline.add(r[0] - r[1]));
    double after = medianOf(minusDriver);
    double before = medianOf(beforeMinusDriver);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "CLI wall - driver: this tree median %.0f ms, min %.0f ms; today's launcher median %.0f"
            + " ms, min %.0f ms%n",
        after,
        Collections.min(minusDriver),
        before,
        Collections.min(beforeMinusDriver));
    System.out.printf(
        Locale.ROOT,
        "this tree's CLI wall - daemon pipeline (JVM start, config, connect, the daemon's"
            + " admission before the pipeline, streaming, exit): median %.0f ms, min %.0f ms%n",
        medianOf(minusPipeline),
        Collections.min(minusPipeline));
    StringBuilder stages = new StringBuilder("daemon stages, medians:");
    for (int i = 0; i < STAGES.size(); i++) {
      stages.append(String.format(Locale.ROOT, " %s %.1f ms", STAGES.get(i), median(rows, 4 + i)));
    }
    System.out.println(stages);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "| image | burns | driver (transfer+write+read-back) | daemon pipeline | daemon overhead |"
            + " CLI wall | CLI wall - driver | today's launcher: wall - driver | ratio |%n");
    System.out.printf(
        Locale.ROOT,
        "| %d MiB | %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | **%.0f ms** | %.0f ms | %.2f |%n",
        mib,
        rows.size(),
        driver,
        median(rows, 1),
        median(rows, 3),
        wall,
        after,
        before,
        before / after);
  }

  /**
   * Station mode: one {@code burnguard station} process burns {@code units} barcodes read from its
   * standard input (as a keyboard-wedge scanner types them), against one {@code burnguard burn}
   * process per unit at the median wall measured above.
   */
  private static void station(DaemonHarness h, int units, int firstUnit, double burnWall)
      throws Exception {
    StringBuilder scans = new StringBuilder();
    for (int i = 0; i < units; i++) {
      scans.append(E2EStation.barcode(firstUnit + i)).append('\n');
    }
    scans.append("quit\n");
    long t0 = System.nanoTime();
    Process p = h.startCliAs("nobody", "station", "--fixture", "fx1");
    try (OutputStream in = p.getOutputStream()) {
      in.write(scans.toString().getBytes(StandardCharsets.US_ASCII));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    int passed = out.split("  PASS  ", -1).length - 1;
    if (exit != 0 || passed != units) {
      throw new IllegalStateException(
          "station mode: exit " + exit + ", " + passed + " of " + units + " PASS:\n" + out);
    }
    double perUnit = seconds * 1000 / units;
    System.out.println();
    System.out.println("| mode | units | per unit | units per hour (machine time, no handling) |");
    System.out.printf(
        Locale.ROOT,
        "| `burnguard station` (one process) | %d | %.0f ms | **%.0f** |%n",
        units,
        perUnit,
        3600_000 / perUnit);
    System.out.printf(
        Locale.ROOT,
        "| `burnguard burn` (a process per unit, median) | - | %.0f ms | **%.0f** |%n",
        burnWall,
        3600_000 / burnWall);
  }

  static void check(DaemonHarness.Run r) {
    if (r.exit() != 0) {
      throw new IllegalStateException("step failed: " + r);
    }
  }

  static double median(List<double[]> rows, int col) {
    List<Double> v = new ArrayList<>();
    rows.forEach(r -> v.add(r[col]));
    return medianOf(v);
  }

  private static double medianOf(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }
}
