package io.burnguard.agent.e2e;

import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.fleet.FleetFixture;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.testing.ReleaseKit;
import io.burnguard.drivers.testing.QemuUBootBoard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Issue 16's burn overhead on real burns: the same daemon, board and image as {@link
 * BurnOverheadBench}, in blocks of burns with the station's {@code fleet:} section off and on (a
 * private PostgreSQL, shipping every INTERVAL), the order of the two alternating from round to
 * round, the daemon restarted for each block (two warm-up burns per block, not counted). Prints the
 * median pipeline, driver and daemon overhead per side, and what was shipped.
 *
 * <p>Run: {@code bench/fleet/burn.sh [ROUNDS] [BURNS_PER_BLOCK] [IMAGE_MIB] [INTERVAL]} (root).
 */
public final class ShippingBurnBench {
  private static final String STATION = "test-station"; // DaemonHarness's station id

  private ShippingBurnBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int burns = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    int mib = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    String interval = args.length > 3 ? args[3] : "1s";
    Path tmp = BurnOverheadBench.benchDir();
    try (ReleaseKit kit = new ReleaseKit(tmp.resolve("kit"));
        ClamdFixture clamd = ClamdFixture.builder().start();
        QemuUBootBoard board =
            QemuUBootBoard.start(tmp, QemuUBootBoard.Options.tftp((long) (mib * 2) << 20));
        FleetFixture fleet = FleetFixture.start()) {
      DaemonHarness h = BurnOverheadBench.harness(tmp, kit, clamd, board);
      String fixtures = BurnOverheadBench.fixtures(board);
      try (h) {
        h.start();
        BurnOverheadBench.prepare(h, kit, mib, "WO-SHIP", 2 * rounds * (burns + 2) + 2);
        h.stop();
        String fleetYaml = fleet.register(STATION, "st_burn_bench", h.dataDir(), interval);
        List<double[]> off = new ArrayList<>();
        List<double[]> on = new ArrayList<>();
        int unit = 700;
        for (int r = 0; r < rounds; r++) {
          for (int side = 0; side < 2; side++) {
            boolean shipping = (r + side) % 2 == 1;
            h.writeConfig(
                BurnOverheadBench.ROLES, "nogroup", fixtures + (shipping ? fleetYaml : ""));
            h.start();
            for (int i = 0; i < burns + 2; i++) {
              double[] row = BurnOverheadBench.burn(h, E2EStation.barcode(unit++));
              if (i >= 2) {
                (shipping ? on : off).add(row);
              }
            }
            System.out.printf(
                Locale.ROOT,
                "round %d, shipping %s: %d burns; shipped so far %d" + " entries%n",
                r,
                shipping ? "on" : "off",
                burns,
                fleet.stored(STATION));
            h.stop();
          }
        }
        report(off, on, interval, fleet.stored(STATION));
      }
    } finally {
      try (var s = Files.walk(tmp)) {
        s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void report(List<double[]> off, List<double[]> on, String interval, long shipped) {
    System.out.printf(
        Locale.ROOT,
        "%n| median of %d burns per side (ship interval %s) | off | on |"
            + " on/off |%n|---|---|---|---|%n",
        off.size(),
        interval);
    String[] names = {"CLI wall", "daemon pipeline", "driver", "daemon overhead"};
    for (int c = 0; c < names.length; c++) {
      double a = BurnOverheadBench.median(off, c);
      double b = BurnOverheadBench.median(on, c);
      System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.4f |%n", names[c], a, b, b / a);
    }
    System.out.printf(Locale.ROOT, "entries shipped to PostgreSQL: %d%n", shipped);
  }
}
