package io.burnguard.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.burnguard.agent.control.Wire;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.testing.ReleaseKit;
import io.burnguard.drivers.testing.QemuUBootBoard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The station the end-to-end tests share, started once per class because QEMU boards and clamd are
 * slow to start: a real clamd, a real HTTPS designated server with a release PKI made now, two QEMU
 * U-Boot boards on fixtures fx1 and fx2, and the real daemon. The operator is the OS user {@code
 * nobody} (group nogroup -> operator), the engineer is root, security is the OS user {@code daemon}
 * (group daemon -> security; given group nogroup for its run only, to reach the socket).
 *
 * <p>What a test may rely on is only this: the daemon runs with {@link #ROLES}, the real clamd and
 * both fixtures, no work order is open ({@link #reset}), no signer is revoked and the withdrawal
 * list is empty. Everything else (its release, order, barcodes) the test makes itself; a test that
 * changes the station (roles, clamd address, revocation, withdrawals) undoes it in {@code finally}
 * and {@link #reset} repairs what a failed test left.
 */
final class E2EStation implements AutoCloseable {
  static final String ROLES = "  root: engineer\n  nogroup: operator\n  daemon: security\n";
  static final String SOCKET_GROUP = "nogroup";

  final Path tmp;
  ClamdFixture clamd;
  ReleaseKit kit;
  QemuUBootBoard board1;
  QemuUBootBoard board2;
  DaemonHarness h;

  E2EStation(Path tmp) throws Exception {
    this.tmp = tmp;
    try {
      start();
    } catch (Exception | Error e) {
      close(); // no QEMU or clamd process outlives a failed start
      throw e;
    }
  }

  private void start() throws Exception {
    // the operator (nobody) runs the launcher copied under tmp
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    clamd = ClamdFixture.builder().start();
    kit = new ReleaseKit(tmp.resolve("kit"));
    board1 = QemuUBootBoard.start(tmp, QemuUBootBoard.Options.tftp(8 << 20));
    board2 = QemuUBootBoard.start(tmp, QemuUBootBoard.Options.tftp(8 << 20));
    board1.powerOn();
    board2.powerOn();
    Files.createDirectories(tmp.resolve("station"));
    h =
        new DaemonHarness(
            tmp.resolve("station"),
            clamd.unixAddress().toString(),
            ROLES,
            SOCKET_GROUP,
            fixtures());
    h.serverAndTrust(kit.stationYaml(2));
    h.writeConfig(ROLES, SOCKET_GROUP, fixtures());
    h.start();
  }

  /**
   * Brings the station back to what every test may rely on: the daemon up with the default config
   * (restarted only when a test left it down or changed), no signer revoked, an empty withdrawal
   * list and no open work order.
   */
  void reset(boolean restartDaemon) throws Exception {
    kit.reinstateSigners();
    kit.withdrawals(List.of());
    if (restartDaemon || h.process() == null || !h.process().isAlive()) {
      if (h.process() != null && h.process().isAlive()) {
        h.stop();
      }
      h.clamd(clamd.unixAddress().toString());
      h.writeConfig(ROLES, SOCKET_GROUP, fixtures());
      h.start();
    }
    DaemonHarness.Run list = h.cli("order", "list", "--json");
    assertEquals(0, list.exit(), list.toString());
    for (var o : Wire.mapper().readTree(list.out()).path("orders")) {
      DaemonHarness.Run close = h.cli("order", "close", o.path("id").asText());
      assertEquals(0, close.exit(), close.toString());
    }
  }

  String fixtures() {
    return "fixtures:\n" + fixture("fx1", board1) + fixture("fx2", board2) + models();
  }

  /** The model the QEMU boards play: EAN-13 barcodes, virtio "eMMC" write and crc32 read-back. */
  static String models() {
    return "models:\n"
        + "  IPC-X1:\n"
        + "    barcodeRule: \"690123[0-9]{7}\"\n"
        + "    checkDigit: gs1-mod10\n"
        + "    recipe:\n"
        + "      write: [\"virtio scan\", \"virtio write ${loadaddr} 0 ${blocks_hex}\"]\n"
        + "      readBack: [\"virtio read ${readaddr} 0 ${blocks_hex}\", \"crc32 ${readaddr} ${size_hex}\"]\n";
  }

  static String fixture(String id, QemuUBootBoard b) {
    StringBuilder s = new StringBuilder("  - id: " + id + "\n    driver: uboot-tftp\n");
    Map<String, String> settings = b.fixture();
    s.append("    port: ").append(settings.get("port")).append("\n");
    s.append("    model: IPC-X1\n    settings:\n");
    settings.forEach(
        (k, v) -> {
          if (!k.equals("port")) {
            s.append("      ").append(k).append(": \"").append(v).append("\"\n");
          }
        });
    return s.toString();
  }

  /** An EAN-13 (GS1 mod-10) barcode: 690123 + 6-digit serial + check digit. */
  static String barcode(int n) {
    String body = "690123" + String.format("%06d", n);
    int sum = 0;
    for (int i = 0; i < body.length(); i++) {
      int d = body.charAt(body.length() - 1 - i) - '0';
      sum += (i % 2 == 0) ? d * 3 : d;
    }
    return body + (10 - sum % 10) % 10;
  }

  static byte[] image(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * Publishes release {@code name} 1.0.0 for IPC-X1 and has the engineer fetch it. Each test uses
   * its own release name, so the station's rollback memory and the withdrawal list of one test
   * never touch another's release.
   */
  byte[] fetchedRelease(String name, int size, long seed) throws Exception {
    byte[] img = image(size, seed);
    kit.publish(name, "1.0.0", List.of("IPC-X1"), img);
    DaemonHarness.Run r = h.cli("firmware", "fetch", name, "1.0.0");
    assertEquals(0, r.exit(), r.toString());
    return img;
  }

  /** The engineer opens work order {@code id} for IPC-X1 units with release {@code name} 1.0.0. */
  void openOrder(String id, String name, int quantity) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "order",
                "open",
                id,
                "--model",
                "IPC-X1",
                "--firmware",
                name,
                "--version",
                "1.0.0",
                "--quantity",
                Integer.toString(quantity)));
    DaemonHarness.Run r = h.cli(args.toArray(String[]::new));
    assertEquals(0, r.exit(), r.toString());
  }

  DaemonHarness.Run operator(String... args) throws Exception {
    return h.cliAs("nobody", args);
  }

  DaemonHarness.Run security(String... args) throws Exception {
    return h.cliAsWithGroup("daemon", SOCKET_GROUP, args);
  }

  /** Waits until the unit's newest burn shows {@code outcome} in its trace. */
  boolean awaitOutcome(String unit, String outcome, Duration deadline) throws Exception {
    return DaemonHarness.waitFor(
        deadline,
        () -> {
          try {
            return operator("trace", unit, "--json").out().contains("\"" + outcome + "\"");
          } catch (Exception e) {
            return false;
          }
        });
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {h, board1, board2, kit, clamd}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** The outcome of the newest burn of {@code barcode}, read from the database, or null. */
  String outcomeOf(String barcode) {
    try (var c = database();
        var st =
            c.prepareStatement(
                "SELECT outcome FROM burns WHERE barcode = ? ORDER BY id DESC LIMIT 1")) {
      st.setString(1, barcode);
      try (var rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (java.sql.SQLException e) {
      return null;
    }
  }

  /** Time and detail of the first admin event of {@code kind}, or null. */
  String[] adminEvent(String kind) {
    try (var c = database();
        var st =
            c.prepareStatement(
                "SELECT at, detail FROM admin_events WHERE kind = ? ORDER BY id LIMIT 1")) {
      st.setString(1, kind);
      try (var rs = st.executeQuery()) {
        return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
      }
    } catch (java.sql.SQLException e) {
      return null;
    }
  }

  private java.sql.Connection database() throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(
        "jdbc:sqlite:" + h.dataDir().resolve("burnguard.db"));
  }
}
