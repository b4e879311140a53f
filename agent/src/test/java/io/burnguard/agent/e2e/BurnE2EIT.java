package io.burnguard.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.control.Wire;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.testing.ReleaseKit;
import io.burnguard.agent.vetting.WithdrawalList;
import io.burnguard.drivers.testing.QemuUBootBoard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's whole job, end to end, through the real CLI launcher and daemon, a real clamd, a
 * real HTTPS designated server with a release PKI made now, and two real QEMU U-Boot boards on
 * fixtures. The operator is the OS user {@code nobody} (group nogroup -> operator); the engineer is
 * root. Tests run in order: each builds on the station state the previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BurnE2EIT {
  @TempDir static Path tmp;

  static ClamdFixture clamd;
  static ReleaseKit kit;
  static QemuUBootBoard board1;
  static QemuUBootBoard board2;
  static DaemonHarness h;
  static byte[] image = image(2 << 20, 11);

  static final String ROLES = "  root: engineer\n  nogroup: operator\n";

  @BeforeAll
  static void station() throws Exception {
    // the operator (nobody) runs the launcher copied under tmp
    Files.setPosixFilePermissions(
        tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    clamd = ClamdFixture.builder().start();
    kit = new ReleaseKit(tmp.resolve("kit"));
    board1 = QemuUBootBoard.start(tmp, QemuUBootBoard.Options.tftp(8 << 20));
    board2 = QemuUBootBoard.start(tmp, QemuUBootBoard.Options.tftp(8 << 20));
    board1.powerOn();
    board2.powerOn();
    Files.createDirectories(tmp.resolve("station"));
    h =
        new DaemonHarness(
            tmp.resolve("station"), clamd.unixAddress().toString(), ROLES, "nogroup", fixtures());
    h.serverAndTrust(kit.stationYaml(2));
    h.writeConfig(ROLES, "nogroup", fixtures());
    h.start();
    kit.publish("ipc-x1-main", "5.4.1", List.of("IPC-X1"), image);
  }

  @AfterAll
  static void teardown() throws Exception {
    if (h != null) {
      h.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {board1, board2, kit, clamd}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static String fixtures() {
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

  /** The engineer opens a work order for IPC-X1 units with release ipc-x1-main {@code version}. */
  static DaemonHarness.Run openOrder(String id, String version, int quantity, String... extra)
      throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "order",
                "open",
                id,
                "--model",
                "IPC-X1",
                "--firmware",
                "ipc-x1-main",
                "--version",
                version,
                "--quantity",
                Integer.toString(quantity)));
    args.addAll(List.of(extra));
    return h.cli(args.toArray(String[]::new));
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

  DaemonHarness.Run operator(String... args) throws Exception {
    return h.cliAs("nobody", args);
  }

  @Test
  @Order(1)
  void burnWithoutAnOpenOrderIsRefused() throws Exception {
    DaemonHarness.Run r = operator("burn", "--fixture", "fx1", "--barcode", barcode(1));
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.out().contains("FAIL"), r.toString());
    assertTrue(r.out().contains("no open work order for model IPC-X1"), r.toString());
  }

  @Test
  @Order(2)
  void unfetchedReleaseIsRefusedForTheOperator() throws Exception {
    DaemonHarness.Run o = openOrder("WO-1", "5.4.1", 2);
    assertEquals(0, o.exit(), o.toString());
    DaemonHarness.Run r = operator("burn", "--fixture", "fx1", "--barcode", barcode(1));
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.out().contains("has not been fetched"), r.toString());
  }

  @Test
  @Order(3)
  void passingBurnLeavesTheImageInFlashAndTraceShowsEveryField() throws Exception {
    assertEquals(0, h.cli("firmware", "fetch", "ipc-x1-main", "5.4.1").exit());
    DaemonHarness.Run r = operator("burn", "--fixture", "fx1", "--barcode", barcode(1));
    assertEquals(0, r.exit(), r.toString() + h.daemonOutput());
    assertTrue(r.out().contains("PASS  " + barcode(1)), r.toString());
    assertArrayEquals(image, board1.flashBytes(0, image.length), "flash equals the image");

    DaemonHarness.Run t = operator("trace", barcode(1), "--json");
    assertEquals(0, t.exit(), t.toString());
    var burn = Wire.mapper().readTree(t.out()).path("burns").get(0);
    for (String field :
        List.of(
            "barcode",
            "model",
            "workOrder",
            "fixture",
            "port",
            "driver",
            "firmwareName",
            "firmwareVersion",
            "firmwareSha256",
            "signers",
            "scanVerdict",
            "clamdDbVersion",
            "operator",
            "station",
            "startedAt",
            "endedAt",
            "outcome",
            "readbackDigest",
            "readbackMatch")) {
      assertTrue(burn.has(field) && !burn.get(field).isNull(), field + " in " + burn);
    }
    assertEquals("PASSED", burn.path("outcome").asText());
    assertEquals("nobody", burn.path("operator").asText());
    assertTrue(burn.path("signers").toString().contains("Release Signer B"), burn.toString());
  }

  @Test
  @Order(4)
  void badBarcodeIsRefused() throws Exception {
    String bad = barcode(2).substring(0, 12) + ((barcode(2).charAt(12) - '0' + 1) % 10);
    DaemonHarness.Run r = operator("burn", "--fixture", "fx1", "--barcode", bad);
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.out().toLowerCase(java.util.Locale.ROOT).contains("check digit"), r.toString());
  }

  @Test
  @Order(5)
  void twoFixturesBurnInParallelAndTheQuantityIsThenReached() throws Exception {
    assertEquals(0, h.cli("order", "close", "WO-1").exit());
    assertEquals(0, openOrder("WO-2", "5.4.1", 2).exit());
    Process a = h.startCliAs("nobody", "burn", "--fixture", "fx1", "--barcode", barcode(3));
    Process b = h.startCliAs("nobody", "burn", "--fixture", "fx2", "--barcode", barcode(4));
    assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
    String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, a.exitValue(), outA);
    assertEquals(0, b.exitValue(), outB);
    assertArrayEquals(image, board2.flashBytes(0, image.length));
    DaemonHarness.Run r = operator("burn", "--fixture", "fx1", "--barcode", barcode(5));
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.out().contains("WO-2 is complete: 2 of 2"), r.toString());
  }

  @Test
  @Order(6)
  void withdrawnReleaseCanNoLongerBeBurned() throws Exception {
    assertEquals(0, openOrder("WO-3", "5.4.1", 5, "--barcode-rule", "690123[0-9]{7}").exit());
    assertEquals(0, h.cli("order", "close", "WO-2").exit());
    kit.withdrawals(List.of(new WithdrawalList.Entry("ipc-x1-main", "5.4.1", "recall 42")));
    try {
      // The station learns of the new list when it fetches: any fetch renews it.
      h.cli("firmware", "fetch", "ipc-x1-main", "5.4.1");
      DaemonHarness.Run r = operator("burn", "--fixture", "fx1", "--barcode", barcode(6));
      assertEquals(3, r.exit(), r.toString());
      assertTrue(r.out().toLowerCase(java.util.Locale.ROOT).contains("withdrawn"), r.toString());
    } finally {
      kit.withdrawals(List.of());
      h.cli("firmware", "fetch", "ipc-x1-main", "5.4.1");
    }
  }

  @Test
  @Order(7)
  void stationModeBurnsEachScannedUnitAndCarriesOnAfterARefusal() throws Exception {
    Process p = h.startCliAs("nobody", "station", "--fixture", "fx2");
    String input = barcode(20) + "\n\n  \n" + "6901230000000\n" + barcode(21) + "\nquit\n";
    p.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().close();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "station mode ends at quit");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("PASS  " + barcode(20)), out);
    assertTrue(out.contains("check digit"), out);
    assertTrue(out.contains("PASS  " + barcode(21)), out);
    assertTrue(out.contains("station mode ended: 2 passed, 1 failed"), out);
  }

  @Test
  @Order(8)
  void invalidSignatureIsRefused() throws Exception {
    kit.publish("ipc-x1-main", "5.4.2", List.of("IPC-X1"), image(1 << 20, 12));
    Path sig = kit.www().resolve("releases/ipc-x1-main/5.4.2/manifest.json.p7s");
    byte[] s = Files.readAllBytes(sig);
    s[s.length - 10] ^= 0x01;
    Files.write(sig, s);
    DaemonHarness.Run r = h.cli("firmware", "fetch", "ipc-x1-main", "5.4.2");
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.err().contains("release refused"), r.toString());
  }

  @Test
  @Order(9)
  void imageFoundInfectedByNewSignaturesIsRefusedAndAlerted() throws Exception {
    // The release was scanned clean; clamd now learns a signature that matches it.
    byte[] marker = java.util.Arrays.copyOfRange(image, 1000, 1032);
    clamd.addBodySignature("BurnGuard.Test.Recalled", marker);
    DaemonHarness.Run r = operator("burn", "--fixture", "fx1", "--barcode", barcode(7));
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.out().contains("BurnGuard.Test.Recalled"), r.toString());
  }

  @Test
  @Order(10)
  void killedMidBurnIsRecordedInterruptedAndTheChainStaysIntact() throws Exception {
    kit.publish("ipc-x1-main", "5.5.0", List.of("IPC-X1"), image(6 << 20, 13));
    assertEquals(0, h.cli("firmware", "fetch", "ipc-x1-main", "5.5.0").exit());
    assertEquals(0, h.cli("order", "close", "WO-3").exit());
    assertEquals(0, openOrder("WO-4", "5.5.0", 5).exit());
    Process p = h.startCliAs("nobody", "burn", "--fixture", "fx1", "--barcode", barcode(8));
    boolean started = awaitOutcome(barcode(8), "STARTED", Duration.ofSeconds(60));
    assertTrue(started, "burn reached STARTED");
    h.process().destroyForcibly().waitFor();
    p.waitFor(30, TimeUnit.SECONDS);
    h.start();
    DaemonHarness.Run t = operator("trace", barcode(8), "--json");
    assertTrue(t.out().contains("\"INTERRUPTED\""), t.toString());
    DaemonHarness.Run audit = h.cli("audit", "verify");
    assertEquals(3, audit.exit(), "root is an engineer, not security: " + audit);
  }

  @Test
  @Order(11)
  void auditChainIsIntactForSecurity() throws Exception {
    h.stop();
    h.writeConfig("  root: security\n  nogroup: operator\n", "nogroup", fixtures());
    h.start();
    DaemonHarness.Run audit = h.cli("audit", "verify");
    assertEquals(0, audit.exit(), audit.toString());
    assertTrue(audit.out().contains("audit chain intact"), audit.toString());
    DaemonHarness.Run alerts = h.cli("alerts", "--json");
    assertEquals(0, alerts.exit(), alerts.toString());
    assertTrue(alerts.out().contains("BurnGuard.Test.Recalled"), "malware alert raised: " + alerts);
    h.stop();
    h.writeConfig(ROLES, "nogroup", fixtures());
    h.start();
  }

  @Test
  @Order(12)
  void ctrlCOnTheCliDoesNotStopOrCorruptTheBurn() throws Exception {
    Process p = h.startCliAs("nobody", "burn", "--fixture", "fx2", "--barcode", barcode(31));
    boolean started = awaitOutcome(barcode(31), "STARTED", Duration.ofSeconds(60));
    assertTrue(started, "burn reached STARTED");
    // Ctrl-C: SIGINT to the CLI's JVM (runuser forwards it); the daemon carries on.
    ProcessHandle.of(p.pid()).ifPresent(ph -> ph.descendants().forEach(d -> kill(d.pid(), "INT")));
    kill(p.pid(), "INT");
    p.waitFor(30, TimeUnit.SECONDS);
    boolean done = awaitOutcome(barcode(31), "PASSED", Duration.ofSeconds(90));
    assertTrue(done, "the burn finished and was recorded PASSED after the CLI went away");
  }

  static void kill(long pid, String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(14)
  void revokedSignerMakesTheBurnOfAFetchedReleaseRefused() throws Exception {
    kit.revokeSigner(1);
    DaemonHarness.Run r = operator("burn", "--fixture", "fx1", "--barcode", barcode(32));
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.out().contains("REVOKED"), r.toString());
  }

  @Test
  @Order(13)
  void clamdDownRefusesTheBurnWithExit5() throws Exception {
    clamd.stop();
    DaemonHarness.Run r = operator("burn", "--fixture", "fx1", "--barcode", barcode(9));
    assertEquals(5, r.exit(), r.toString());
    assertTrue(r.out().contains("clamd"), r.toString());
  }
}
