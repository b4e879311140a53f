package io.burnguard.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.control.Wire;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.testing.ReleaseKit;
import io.burnguard.agent.vetting.WithdrawalList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code burnguard firmware fetch|list} through the real CLI and daemon, against a real HTTPS
 * designated server with a release PKI made now and a real clamd.
 */
class FirmwareFetchIT {
  @TempDir static Path tmp;

  private static ClamdFixture clamd;
  private static ReleaseKit kit;
  private static DaemonHarness h;

  @BeforeAll
  static void start() throws Exception {
    clamd = ClamdFixture.builder().start();
    kit = new ReleaseKit(tmp.resolve("kit"));
    java.nio.file.Files.createDirectories(tmp.resolve("station"));
    h =
        new DaemonHarness(
            tmp.resolve("station"), clamd.unixAddress().toString(), "  root: engineer\n", null, "");
    h.serverAndTrust(kit.stationYaml(2));
    h.writeConfig("  root: engineer\n", null, "");
    h.start();
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
    kit.close();
    clamd.close();
  }

  private static byte[] image(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void engineerFetchesAVettedReleaseAndItIsListed() throws Exception {
    kit.publish("ipc-x1-main", "5.4.1", List.of("IPC-X1"), image(3 << 20, 1));
    DaemonHarness.Run r = h.cli("firmware", "fetch", "ipc-x1-main", "5.4.1");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("fetched ipc-x1-main 5.4.1: 3145728 bytes"), r.toString());
    assertTrue(r.out().contains("signed by Release Signer A, Release Signer B"), r.toString());
    assertTrue(r.err().contains("download"), "progress shown: " + r);

    DaemonHarness.Run list = h.cli("firmware", "list", "--json");
    assertEquals(0, list.exit(), list.toString());
    var rel = Wire.mapper().readTree(list.out()).path("releases");
    assertTrue(rel.toString().contains("\"version\":\"5.4.1\""), list.out());
    DaemonHarness.Run table = h.cli("firmware", "list");
    assertTrue(table.out().contains("ipc-x1-main"), table.toString());
  }

  @Test
  void tamperedImageIsRefusedWithExit3() throws Exception {
    kit.publish("ipc-x1-main", "5.5.0", List.of("IPC-X1"), image(1 << 20, 2));
    kit.tamper("ipc-x1-main", "5.5.0");
    DaemonHarness.Run r = h.cli("firmware", "fetch", "ipc-x1-main", "5.5.0");
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.err().contains("release refused"), r.toString());
  }

  @Test
  void withdrawnReleaseIsRefused() throws Exception {
    kit.publish("ipc-x1-main", "5.6.0", List.of("IPC-X1"), image(1 << 16, 3));
    kit.withdrawals(List.of(new WithdrawalList.Entry("ipc-x1-main", "5.6.0", "recall 17")));
    try {
      DaemonHarness.Run r = h.cli("firmware", "fetch", "ipc-x1-main", "5.6.0");
      assertEquals(3, r.exit(), r.toString());
      assertTrue(r.err().toLowerCase(java.util.Locale.ROOT).contains("withdrawn"), r.toString());
    } finally {
      kit.withdrawals(List.of());
    }
  }

  /** Issue 12, finding 7: a server answering 9.9.9 with 5.4.6's genuine signed manifest. */
  @Test
  void anotherReleasesManifestIsRefusedNamingFoundAndAsked() throws Exception {
    kit.publish("ipc-x1-main", "5.4.6", List.of("IPC-X1"), image(1 << 16, 4));
    Path genuine = kit.www().resolve("releases/ipc-x1-main/5.4.6");
    Path asked = Files.createDirectories(kit.www().resolve("releases/ipc-x1-main/9.9.9"));
    for (String f : List.of("manifest.json", "manifest.json.p7s", "ipc-x1-main-5.4.6.bin")) {
      Files.copy(genuine.resolve(f), asked.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    DaemonHarness.Run r = h.cli("firmware", "fetch", "ipc-x1-main", "9.9.9");
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.err().contains("RELEASE_MISMATCH"), r.toString());
    assertTrue(
        r.err().contains("manifest of ipc-x1-main 5.4.6, but ipc-x1-main 9.9.9 was asked for"),
        r.toString());
    assertFalse(r.out().contains("fetched"), r.toString());
    DaemonHarness.Run list = h.cli("firmware", "list", "--json");
    assertEquals(0, list.exit(), list.toString());
    String releases = Wire.mapper().readTree(list.out()).path("releases").toString();
    assertFalse(releases.contains("9.9.9"), releases);
    assertFalse(releases.contains("5.4.6"), releases);
  }

  @Test
  void missingReleaseOnTheServerIsADependencyFailure() throws Exception {
    DaemonHarness.Run r = h.cli("firmware", "fetch", "no-such", "1.0.0");
    // HTTP 404 for the manifest: the server is unavailable for this release (exit 5), which is
    // not a policy refusal (exit 3) and must not be reported as one.
    assertEquals(5, r.exit(), r.toString());
    assertTrue(r.err().contains("burnguard: designated server: HTTP_STATUS: "), r.toString());
    assertTrue(r.err().contains("/releases/no-such/1.0.0/"), r.toString());
    assertTrue(r.err().contains("answered HTTP 404"), r.toString());
  }

  @Test
  void hostileReleaseNameIsRefusedBeforeAnyRequest() throws Exception {
    DaemonHarness.Run r = h.cli("firmware", "fetch", "../../etc", "1");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("characters BurnGuard does not accept"), r.toString());
  }

  @Test
  void onlyEngineersMayFetch() throws Exception {
    h.stop();
    h.writeConfig("  root: operator\n", null, "");
    h.start();
    try {
      DaemonHarness.Run r = h.cli("firmware", "fetch", "ipc-x1-main", "5.4.1");
      assertEquals(3, r.exit(), r.toString());
      assertTrue(r.err().contains("needs the role engineer"), r.toString());
    } finally {
      h.stop();
      h.writeConfig("  root: engineer\n", null, "");
      h.start();
    }
  }
}
