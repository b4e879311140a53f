package io.burnguard.agent.e2e;

import static io.burnguard.agent.e2e.E2EStation.barcode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.testing.TestCerts;
import io.burnguard.agent.vetting.TrustFiles;
import io.burnguard.agent.vetting.WithdrawalList;
import io.burnguard.agent.vetting.server.TestHttpsServer;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 through the real daemon on an {@link E2EStation} whose daemon refreshes its trust
 * material every {@link #INTERVAL} into its own, initially missing, {@code crlDir} (not the kit's
 * copies, so nothing reaches the station but the refresher): a new station fills {@code crlDir} and
 * burns (finding 1); a signer revoked on the server stops burns within one interval (finding 1); a
 * recall published on the server stops burns within one interval, measured (finding 2); a stalled
 * server makes a burn that needs a fresh withdrawal list refuse within {@code
 * server.burnNetworkTimeout} (finding 6); a "fixture busy" refusal is chained (finding 10).
 */
class RecallIT {
  static final Duration INTERVAL = Duration.ofSeconds(2);

  @TempDir static Path tmp;
  static E2EStation s;
  static Path crlDir;

  @BeforeAll
  static void station() throws Exception {
    s = new E2EStation(tmp);
    crlDir = tmp.resolve("station-crl");
    assertTrue(Files.notExists(crlDir));
    s.h.stop();
    s.h.serverAndTrust(trustYaml(s.kit.url(), s.kit.dir().resolve("server-ca.pem")));
    s.h.writeConfig(E2EStation.ROLES, E2EStation.SOCKET_GROUP, s.fixtures());
    s.h.start();
  }

  @AfterAll
  static void teardown() throws Exception {
    if (s != null) {
      s.close();
    }
  }

  /** The station's server and trust sections: the given server, our crlDir, a 2 s refresh. */
  static String trustYaml(URI url, Path caFile) {
    return "server:\n  url: "
        + url
        + "\n  caFile: "
        + caFile
        + "\ntrust:\n  releaseRoot: "
        + s.kit.dir().resolve("release-root.pem")
        + "\n  crlDir: "
        + crlDir
        + "\n  threshold: 2\n  signers: [\"Release Signer A\", \"Release Signer B\"]\n"
        + "  serverCrls: [root.crl, signing.crl]\n  refreshInterval: "
        + INTERVAL.toSeconds()
        + "s\n";
  }

  @BeforeEach
  void defaultStationWithNoRevocationStored() throws Exception {
    s.reset(false);
    // A revocation left by another test is lifted on the server; wait until the station has it.
    assertTrue(
        DaemonHarness.waitFor(Duration.ofSeconds(30), RecallIT::noStoredRevocation),
        "the station stored the reinstating CRL");
  }

  static boolean noStoredRevocation() {
    try {
      Path f = crlDir.resolve("signing.crl");
      return Files.exists(f) && TrustFiles.crl(f).getRevokedCertificates() == null;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void aNewStationFillsItsCrlDirOnItsOwnAndBurns() throws Exception {
    assertTrue(
        DaemonHarness.waitFor(
            Duration.ofSeconds(30),
            () ->
                Files.exists(crlDir.resolve("root.crl"))
                    && Files.exists(crlDir.resolve("signing.crl"))),
        "crlDir filled by the daemon");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(crlDir)));
    s.fetchedRelease("recall-new", 1 << 16, 1);
    s.openOrder("WO-NEW", "recall-new", 2);
    DaemonHarness.Run r = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(100));
    assertEquals(0, r.exit(), r.toString());
    JsonNode trust = doctorTrust();
    assertEquals("OK", trust.path("status").asText(), trust.toString());
    assertTrue(trust.path("detail").asText().contains("next update"), trust.toString());
  }

  @Test
  void aSignerRevokedOnTheServerStopsBurnsWithinOneInterval() throws Exception {
    s.fetchedRelease("recall-revoked", 1 << 16, 2);
    s.openOrder("WO-REVOKED", "recall-revoked", 20);
    s.kit.revokeSigner(1);
    try {
      Refusal r = burnUntilRefused("fx1", 200, "REVOKED");
      System.out.printf(
          Locale.ROOT,
          "revocation -> first refused burn: %d ms (%d burns passed before)%n",
          r.millis,
          r.passed);
      assertTrue(r.millis < INTERVAL.toMillis() + 20_000, r.millis + " ms");
    } finally {
      s.kit.reinstateSigners();
    }
  }

  @Test
  void aRecallPublishedOnTheServerStopsBurnsWithinOneInterval() throws Exception {
    s.fetchedRelease("recall-541", 1 << 16, 3);
    s.openOrder("WO-RECALL", "recall-541", 20);
    DaemonHarness.Run before = s.operator("burn", "--fixture", "fx2", "--barcode", barcode(300));
    assertTrue(admitted(before), "burnable before the recall: " + before);
    java.time.Instant published = java.time.Instant.now();
    s.kit.withdrawals(List.of(new WithdrawalList.Entry("recall-541", "1.0.0", "recall 12")));
    try {
      Refusal r = burnUntilRefused("fx2", 301, "WITHDRAWN");
      System.out.printf(
          Locale.ROOT,
          "Recall latency (issue 12): publish -> first refused burn %d ms with refreshInterval"
              + " %s (%d burns passed before); publish -> list stored by the daemon %s%n",
          r.millis,
          INTERVAL,
          r.passed,
          storedAfter(published));
      assertTrue(r.millis < INTERVAL.toMillis() + 20_000, r.millis + " ms");
    } finally {
      s.kit.withdrawals(List.of());
    }
  }

  @Test
  void aStalledServerRefusesABurnWithinBurnNetworkTimeout() throws Exception {
    s.fetchedRelease("recall-stall", 1 << 16, 4);
    s.openOrder("WO-STALL", "recall-stall", 2);
    long seq = storedSequence();
    // A list that expires soon, stored by the station, then the server stalls.
    s.kit.withdrawals(List.of(), Duration.ofSeconds(20));
    assertTrue(
        DaemonHarness.waitFor(Duration.ofSeconds(30), () -> storedSequenceOr(seq) > seq),
        "the station stored the short-lived list");
    java.time.Instant expires = java.time.Instant.now().plusSeconds(20);
    try (TestHttpsServer stalled = new TestHttpsServer()) {
      stalled.handle("/base/", RecallIT::trickle);
      Path ca = tmp.resolve("stalled-ca.pem");
      TestCerts.writePem(ca, stalled.ca);
      s.h.stop();
      s.h.serverAndTrust(trustYaml(stalled.base(), ca));
      s.h.writeConfig(E2EStation.ROLES, E2EStation.SOCKET_GROUP, s.fixtures());
      s.h.start();
      while (java.time.Instant.now().isBefore(expires.plusSeconds(1))) {
        Thread.sleep(200); // the list must have expired: that is the precondition under test
      }
      long t0 = System.nanoTime();
      DaemonHarness.Run r = s.operator("burn", "--fixture", "fx1", "--barcode", barcode(400));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(5, r.exit(), r.toString());
      assertTrue(r.out().contains("server.burnNetworkTimeout (5s)"), r.toString());
      assertTrue(r.out().contains("WITHDRAWALS_EXPIRED"), r.toString());
      // 5 s budget plus the CLI's own start; the server would hold it for a minute and more.
      assertTrue(ms < 25_000, "refused after " + ms + " ms");
    } finally {
      s.h.stop();
      s.h.serverAndTrust(trustYaml(s.kit.url(), s.kit.dir().resolve("server-ca.pem")));
      s.kit.withdrawals(List.of());
      s.reset(true);
    }
  }

  @Test
  void aFixtureBusyRefusalIsChained() throws Exception {
    s.fetchedRelease("recall-busy", 6 << 20, 5);
    s.openOrder("WO-BUSY", "recall-busy", 5);
    Process first = s.h.startCliAs("nobody", "burn", "--fixture", "fx2", "--barcode", barcode(500));
    try {
      assertTrue(s.awaitOutcome(barcode(500), "STARTED", Duration.ofSeconds(60)));
      DaemonHarness.Run busy = s.operator("burn", "--fixture", "fx2", "--barcode", barcode(501));
      assertEquals(4, busy.exit(), busy.toString());
      assertTrue(busy.out().contains("fixture fx2 is busy"), busy.toString());
      first.getInputStream().readAllBytes(); // drains the first burn's output until it ends
      assertTrue(first.waitFor(120, TimeUnit.SECONDS));
    } finally {
      first.destroyForcibly();
    }
    String rows =
        sqlite(
            "SELECT ref || ' ' || payload FROM audit_chain WHERE kind = 'burn.refused' AND"
                + " payload LIKE '%"
                + barcode(501)
                + "%';");
    assertTrue(rows.contains("fixture fx2 is busy") && rows.contains("\"exit\":4"), rows);
    DaemonHarness.Run audit = s.security("audit", "verify");
    assertEquals(0, audit.exit(), audit.toString());
  }

  /** What {@link #burnUntilRefused} saw. */
  record Refusal(long millis, int passed) {}

  /** Burns unit after unit until one is refused naming {@code reason}; times it from now. */
  static Refusal burnUntilRefused(String fixture, int firstSerial, String reason) throws Exception {
    long t0 = System.nanoTime();
    int passed = 0;
    for (int n = firstSerial; System.nanoTime() - t0 < 90_000_000_000L; n++) {
      DaemonHarness.Run r = s.operator("burn", "--fixture", fixture, "--barcode", barcode(n));
      if (admitted(r)) {
        passed++;
        continue;
      }
      assertEquals(3, r.exit(), r.toString());
      assertTrue(r.out().contains(reason), r.toString());
      return new Refusal((System.nanoTime() - t0) / 1_000_000, passed);
    }
    return fail("burns were never refused " + reason + " within 90 s");
  }

  /**
   * The burn got past vetting: it passed, or the device failed (exit 4 with a FAIL record; a QEMU
   * board on a loaded machine sometimes misses a TFTP ARP). Either way the release was not refused.
   */
  static boolean admitted(DaemonHarness.Run r) {
    return r.exit() == 0 || (r.exit() == 4 && r.out().contains("FAIL  "));
  }

  static JsonNode doctorTrust() throws Exception {
    DaemonHarness.Run d = s.h.cli("doctor", "--json");
    for (JsonNode c : Wire.mapper().readTree(d.out()).path("checks")) {
      if (c.path("name").asText().equals("refresh")) {
        return c;
      }
    }
    return fail("no refresh line in doctor: " + d);
  }

  static long storedSequence() throws Exception {
    Matcher m =
        Pattern.compile("withdrawal list (\\d+)").matcher(doctorTrust().path("detail").asText());
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  static long storedSequenceOr(long fallback) {
    try {
      return storedSequence();
    } catch (Exception e) {
      return fallback;
    }
  }

  /** How long after {@code published} the daemon stored the current list (informational). */
  static String storedAfter(java.time.Instant published) {
    try {
      String at = sqlite("SELECT fetched_at FROM vetting_withdrawals_doc WHERE id = 1;").trim();
      return Duration.between(published, java.time.Instant.parse(at)).toMillis() + " ms";
    } catch (Exception | AssertionError e) {
      return "n/a (" + e.getMessage() + ")";
    }
  }

  /** An attacker's server: answers every request with one byte a second. */
  static void trickle(com.sun.net.httpserver.HttpExchange x) throws java.io.IOException {
    x.sendResponseHeaders(200, 1000);
    try (OutputStream out = x.getResponseBody()) {
      for (int i = 0; i < 1000; i++) {
        out.write('x');
        out.flush();
        Thread.sleep(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String sqlite(String sql) throws Exception {
    Process p =
        new ProcessBuilder(
                "sqlite3", "-batch", s.h.dataDir().resolve("burnguard.db").toString(), sql)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sqlite3 finished");
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
