package io.burnguard.agent.e2e;

import static io.burnguard.agent.e2e.E2EStation.barcode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.control.Wire;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.vetting.WithdrawalList;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's whole job, end to end, through the real CLI launcher and daemon on the shared
 * {@link E2EStation}. The tests are independent and run in any order: each publishes and fetches
 * its own release (its own name), opens its own work order and burns its own barcodes (serials
 * {@code N00..N99} for the N-th test below), and undoes in {@code finally} any station-wide change.
 */
class BurnE2EIT {
  @TempDir static Path tmp;
  static E2EStation s;

  @BeforeAll
  static void station() throws Exception {
    s = new E2EStation(tmp);
  }

  @AfterAll
  static void teardown() throws Exception {
    if (s != null) {
      s.close();
    }
  }

  @BeforeEach
  void noOpenOrderAndTheDefaultStation() throws Exception {
    s.reset(false);
  }

  @Test
  void burnWithoutAnOpenOrderIsRefused() throws Exception {
    DaemonHarness.Run r = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(100));
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.out().contains("FAIL"), r.toString());
    assertTrue(r.out().contains("no open work order for model IPC-X1"), r.toString());
  }

  @Test
  void unfetchedReleaseIsRefusedForTheOperator() throws Exception {
    s.kit.publish("e2e-unfetched", "1.0.0", List.of("IPC-X1"), E2EStation.image(1 << 16, 2));
    s.openOrder("WO-UNFETCHED", "e2e-unfetched", 2);
    DaemonHarness.Run r = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(200));
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.out().contains("has not been fetched"), r.toString());
  }

  @Test
  void passingBurnLeavesTheImageInFlashAndTraceShowsEveryField() throws Exception {
    byte[] image = s.fetchedRelease("e2e-pass", 2 << 20, 3);
    s.openOrder("WO-PASS", "e2e-pass", 2);
    DaemonHarness.Run r = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(300));
    assertEquals(0, r.exit(), r.toString() + s.h.daemonOutput());
    assertTrue(r.out().contains("PASS  " + barcode(300)), r.toString());
    assertArrayEquals(image, s.board1.flashBytes(0, image.length), "flash equals the image");

    DaemonHarness.Run t = s.operator("trace", barcode(300), "--json");
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
    assertEquals("WO-PASS", burn.path("workOrder").asText());
    assertEquals("e2e-pass", burn.path("firmwareName").asText());
    assertEquals("fx1", burn.path("fixture").asText());
    assertTrue(burn.path("signers").toString().contains("Release Signer A"), burn.toString());
    assertTrue(burn.path("signers").toString().contains("Release Signer B"), burn.toString());
  }

  @Test
  void badBarcodeIsRefused() throws Exception {
    s.fetchedRelease("e2e-barcode", 1 << 16, 4);
    s.openOrder("WO-BARCODE", "e2e-barcode", 2);
    String good = barcode(400);
    String bad = good.substring(0, 12) + ((good.charAt(12) - '0' + 1) % 10);
    DaemonHarness.Run r = s.operator("burn", "--fixture", "fx1", "--barcode", bad);
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.out().toLowerCase(Locale.ROOT).contains("check digit"), r.toString());
  }

  @Test
  void twoFixturesBurnInParallelAndTheQuantityIsThenReached() throws Exception {
    byte[] image = s.fetchedRelease("e2e-parallel", 1 << 20, 5);
    s.openOrder("WO-PARALLEL", "e2e-parallel", 2);
    Process a = s.h.startCliAs("nobody", "burn", "--fixture", "fx1", "--barcode", barcode(500));
    Process b = s.h.startCliAs("nobody", "burn", "--fixture", "fx2", "--barcode", barcode(501));
    assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
    String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, a.exitValue(), outA);
    assertEquals(0, b.exitValue(), outB);
    assertArrayEquals(image, s.board1.flashBytes(0, image.length));
    assertArrayEquals(image, s.board2.flashBytes(0, image.length));
    DaemonHarness.Run r = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(502));
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.out().contains("WO-PARALLEL is complete: 2 of 2"), r.toString());
  }

  @Test
  void withdrawnReleaseCanNoLongerBeBurned() throws Exception {
    s.fetchedRelease("e2e-withdrawn", 1 << 16, 6);
    s.openOrder("WO-WITHDRAWN", "e2e-withdrawn", 2);
    s.kit.withdrawals(List.of(new WithdrawalList.Entry("e2e-withdrawn", "1.0.0", "recall 42")));
    try {
      // The station learns of the new list when it fetches: any fetch renews it, and this one is
      // itself refused because the release is now withdrawn.
      DaemonHarness.Run f = s.h.cli("firmware", "fetch", "e2e-withdrawn", "1.0.0");
      assertEquals(3, f.exit(), f.toString());
      DaemonHarness.Run r = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(600));
      assertEquals(3, r.exit(), r.toString());
      assertTrue(r.out().toLowerCase(Locale.ROOT).contains("withdrawn"), r.toString());
    } finally {
      s.kit.withdrawals(List.of());
      s.h.cli("firmware", "fetch", "e2e-withdrawn", "1.0.0");
    }
  }

  @Test
  void stationModeBurnsEachScannedUnitAndCarriesOnAfterARefusal() throws Exception {
    s.fetchedRelease("e2e-station", 1 << 20, 7);
    s.openOrder("WO-STATION", "e2e-station", 5);
    Process p = s.h.startCliAs("nobody", "station", "--fixture", "fx2");
    String input = barcode(700) + "\n\n  \n" + "6901230000000\n" + barcode(701) + "\nquit\n";
    p.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().close();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "station mode ends at quit");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("PASS  " + barcode(700)), out);
    assertTrue(out.contains("check digit"), out);
    assertTrue(out.contains("PASS  " + barcode(701)), out);
    assertTrue(out.contains("station mode ended: 2 passed, 1 failed"), out);
  }

  @Test
  void invalidSignatureIsRefused() throws Exception {
    s.kit.publish("e2e-badsig", "1.0.0", List.of("IPC-X1"), E2EStation.image(1 << 16, 8));
    Path sig = s.kit.www().resolve("releases/e2e-badsig/1.0.0/manifest.json.p7s");
    byte[] b = Files.readAllBytes(sig);
    b[b.length - 10] ^= 0x01;
    Files.write(sig, b);
    DaemonHarness.Run r = s.h.cli("firmware", "fetch", "e2e-badsig", "1.0.0");
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.err().contains("release refused"), r.toString());
  }

  @Test
  void imageFoundInfectedByNewSignaturesIsRefusedAndAlerted() throws Exception {
    // The release was scanned clean; clamd now learns a signature that matches only this image.
    byte[] image = s.fetchedRelease("e2e-infected", 1 << 16, 9);
    s.openOrder("WO-INFECTED", "e2e-infected", 2);
    s.clamd.addBodySignature("BurnGuard.Test.Recalled", Arrays.copyOfRange(image, 1000, 1032));
    DaemonHarness.Run r = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(900));
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.out().contains("BurnGuard.Test.Recalled"), r.toString());
    DaemonHarness.Run alerts = s.security("alerts", "--json");
    assertEquals(0, alerts.exit(), alerts.toString());
    assertTrue(alerts.out().contains("BurnGuard.Test.Recalled"), "malware alert raised: " + alerts);
  }

  @Test
  void killedMidBurnIsRecordedInterruptedAndTheChainStaysIntact() throws Exception {
    s.fetchedRelease("e2e-killed", 6 << 20, 10);
    s.openOrder("WO-KILLED", "e2e-killed", 5);
    Process p = s.h.startCliAs("nobody", "burn", "--fixture", "fx1", "--barcode", barcode(1000));
    try {
      assertTrue(
          s.awaitOutcome(barcode(1000), "STARTED", Duration.ofSeconds(60)), "burn reached STARTED");
      s.h.process().destroyForcibly().waitFor();
      p.waitFor(30, TimeUnit.SECONDS);
      s.h.start();
      DaemonHarness.Run t = s.operator("trace", barcode(1000), "--json");
      assertEquals(0, t.exit(), t.toString());
      var burn = Wire.mapper().readTree(t.out()).path("burns").get(0);
      assertEquals("INTERRUPTED", burn.path("outcome").asText(), t.toString());
      DaemonHarness.Run audit = s.security("audit", "verify");
      assertEquals(0, audit.exit(), audit.toString());
      assertTrue(audit.out().contains("audit chain intact"), audit.toString());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void auditChainIsIntactForSecurityAndRefusedToOthers() throws Exception {
    s.kit.publish("e2e-audit", "1.0.0", List.of("IPC-X1"), E2EStation.image(1 << 16, 11));
    s.openOrder("WO-AUDIT", "e2e-audit", 2);
    DaemonHarness.Run refused = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(1100));
    assertEquals(3, refused.exit(), refused.toString());
    DaemonHarness.Run audit = s.security("audit", "verify");
    assertEquals(0, audit.exit(), audit.toString());
    assertTrue(audit.out().contains("audit chain intact"), audit.toString());
    DaemonHarness.Run engineer = s.h.cli("audit", "verify");
    assertEquals(3, engineer.exit(), engineer.toString());
    assertTrue(engineer.err().contains("needs the role security"), engineer.toString());
  }

  @Test
  void ctrlCOnTheCliDoesNotStopOrCorruptTheBurn() throws Exception {
    // 8 MiB keeps the burn on the device for several seconds, so each poll (a whole `trace`
    // CLI run) has time to see it STARTED; a burn that already PASSED also reached the device.
    byte[] image = s.fetchedRelease("e2e-ctrlc", 8 << 20, 12);
    s.openOrder("WO-CTRLC", "e2e-ctrlc", 2);
    Process p = s.h.startCliAs("nobody", "burn", "--fixture", "fx2", "--barcode", barcode(1200));
    assertTrue(
        DaemonHarness.waitFor(
            Duration.ofSeconds(120),
            () -> {
              String o = s.outcomeOf(barcode(1200));
              return "STARTED".equals(o) || "PASSED".equals(o);
            }),
        "burn reached STARTED");
    // Ctrl-C: SIGINT to the CLI's JVM (runuser forwards it); the daemon carries on.
    ProcessHandle.of(p.pid()).ifPresent(ph -> ph.descendants().forEach(d -> kill(d.pid(), "INT")));
    kill(p.pid(), "INT");
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the CLI ends on SIGINT");
    assertTrue(
        s.awaitOutcome(barcode(1200), "PASSED", Duration.ofSeconds(90)),
        "the burn finished and was recorded PASSED after the CLI went away");
    assertArrayEquals(image, s.board2.flashBytes(0, image.length), "flash equals the image");
  }

  static void kill(long pid, String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void revokedSignerMakesTheBurnOfAFetchedReleaseRefused() throws Exception {
    s.fetchedRelease("e2e-revoked", 1 << 16, 13);
    s.openOrder("WO-REVOKED", "e2e-revoked", 2);
    s.kit.revokeSigner(1);
    try {
      DaemonHarness.Run r = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(1300));
      assertEquals(3, r.exit(), r.toString());
      assertTrue(r.out().contains("REVOKED"), r.toString());
    } finally {
      s.kit.reinstateSigners();
    }
  }

  @Test
  void clamdDownRefusesTheBurnWithExit5() throws Exception {
    s.fetchedRelease("e2e-noclamd", 1 << 16, 14);
    s.openOrder("WO-NOCLAMD", "e2e-noclamd", 2);
    // The station's clamd goes away: the daemon now points at a socket nothing listens on.
    s.h.stop();
    s.h.clamd("unix:" + tmp.resolve("no-clamd.sock"));
    s.h.writeConfig(E2EStation.ROLES, E2EStation.SOCKET_GROUP, s.fixtures());
    s.h.start();
    try {
      DaemonHarness.Run r = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(1400));
      assertEquals(5, r.exit(), r.toString());
      assertTrue(r.out().contains("clamd"), r.toString());
    } finally {
      s.reset(true);
    }
  }
}
