package io.burnguard.agent.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.testing.ReleaseKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 9: {@code burnguard doctor} checks what docs/decisions.md ("Doctor") says, through
 * the real CLI and daemon (and the CLI's offline fallback), each check failing and passing.
 */
class DoctorIT {
  private static final String ROLES = "  root: engineer\n";

  @TempDir Path tmp;
  private static ClamdFixture clamd;
  private DaemonHarness h;

  @BeforeAll
  static void startClamd() throws Exception {
    clamd = ClamdFixture.builder().start();
  }

  @AfterAll
  static void stopClamd() throws Exception {
    clamd.close();
  }

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  /** A fixture on {@code port} and a model with a recipe, plus {@code more} YAML. */
  private static String station(Path port, String more) {
    return "fixtures:\n"
        + "  - id: fx1\n"
        + "    driver: uboot-serial\n"
        + "    port: "
        + port
        + "\n"
        + "    model: IPC-X1\n"
        + "models:\n"
        + "  IPC-X1:\n"
        + "    recipe:\n"
        + "      write: [\"sf probe 0\"]\n"
        + "      readBack: [\"crc32 0 10\"]\n"
        + more;
  }

  private DaemonHarness harness(String extraYaml) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("station"));
    h = new DaemonHarness(root, clamd.unixAddress().toString(), ROLES, null, extraYaml);
    return h;
  }

  private record Doctor(int exit, Map<String, JsonNode> checks, String raw) {
    String status(String name) {
      JsonNode c = checks.get(name);
      return c == null ? "absent" : c.path("status").asText();
    }

    String detail(String name) {
      return checks.get(name).path("detail").asText();
    }

    String fix(String name) {
      return checks.get(name).path("fix").asText();
    }
  }

  private Doctor doctor() throws Exception {
    DaemonHarness.Run r = h.cli("doctor", "--json");
    JsonNode n = Wire.mapper().readTree(r.out());
    Map<String, JsonNode> checks = new HashMap<>();
    n.path("checks").forEach(c -> checks.put(c.path("name").asText(), c));
    return new Doctor(r.exit(), checks, r.toString());
  }

  private void assertStatus(Doctor d, String status, String... names) {
    for (String n : names) {
      assertEquals(status, d.status(n), n + " in\n" + d.raw());
    }
  }

  @Test
  void healthyStationIsOkOnEveryLine() throws Exception {
    Path port = Files.createFile(tmp.resolve("ttyFX1"));
    // Enforce needs a policy to start (issue 14): one USBGuard rule allowing every device.
    Path rules = Files.writeString(tmp.resolve("rules.conf"), "allow\n");
    String ports = "ports:\n  mode: enforce\n  rulesFile: " + rules + "\n";
    try (ReleaseKit kit = new ReleaseKit(tmp.resolve("kit"))) {
      harness(station(port, ports));
      h.serverAndTrust(kit.stationYaml(2));
      h.writeConfig(ROLES, null, station(port, ports));
      h.start();
      // The daemon's trust refresher stores the withdrawal list on its own (issue 12): no fetch.
      assertTrue(
          DaemonHarness.waitFor(
              Duration.ofSeconds(30),
              () -> {
                try {
                  return "OK".equals(doctor().status("withdrawals"));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }),
          "the refresher stored the withdrawal list");

      kit.publish("ipc-x1-main", "5.4.1", List.of("IPC-X1"), image(1 << 16));
      assertEquals(0, h.cli("firmware", "fetch", "ipc-x1-main", "5.4.1").exit());
      Doctor d = doctor();
      assertEquals(0, d.exit(), d.raw());
      assertStatus(
          d, "OK", "release-root", "crls", "files", "ports", "port-policy", "withdrawals", "audit");
      // The test server's CA lives 31 days: inside the 30-day renewal warning.
      assertStatus(d, "WARN", "server-ca");
      assertTrue(d.detail("server-ca").contains("; expires in "), d.raw());
      assertTrue(d.detail("crls").contains("root.crl"), d.raw());
      assertTrue(d.detail("withdrawals").matches("sequence 1, issued .* expires .*"), d.raw());
      assertTrue(d.detail("audit").startsWith("chain intact to the head"), d.raw());

      DaemonHarness.Run text = h.cli("doctor");
      assertTrue(text.out().matches("(?s).*OK +release-root .*"), text.toString());
    }
  }

  @Test
  void withdrawalListNearExpiryWarnsAndExpiredFails() throws Exception {
    try (ReleaseKit kit = new ReleaseKit(tmp.resolve("kit"))) {
      harness("");
      h.serverAndTrust(kit.stationYaml(2));
      h.writeConfig(ROLES, null, "");
      h.start();
      kit.publish("ipc-x1-main", "5.4.1", List.of("IPC-X1"), image(1 << 12));
      kit.withdrawals(List.of(), Duration.ofSeconds(15));
      DaemonHarness.Run fetch = h.cli("firmware", "fetch", "ipc-x1-main", "5.4.1");
      assertEquals(0, fetch.exit(), fetch.toString());
      Doctor soon = doctor();
      assertEquals(0, soon.exit(), soon.raw());
      assertStatus(soon, "WARN", "withdrawals");
      assertTrue(soon.fix("withdrawals").contains("before it expires"), soon.raw());
      // No sleeping: ask again until the list's expiry has passed (deadline 30 s).
      Doctor[] last = new Doctor[1];
      assertTrue(
          DaemonHarness.waitFor(
              Duration.ofSeconds(30),
              () -> {
                try {
                  last[0] = doctor();
                  return "FAIL".equals(last[0].status("withdrawals"));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }),
          "withdrawals never failed");
      assertEquals(3, last[0].exit(), last[0].raw());
      assertTrue(last[0].detail("withdrawals").startsWith("WITHDRAWALS_EXPIRED"), last[0].raw());
    }
  }

  @Test
  void missingTrustFilesAndPortEachFailWithTheirFix() throws Exception {
    harness(station(tmp.resolve("no-such-tty"), ""));
    Files.delete(h.config().resolveSibling("release-root.pem"));
    Files.delete(h.config().resolveSibling("server-ca.pem"));
    Files.delete(h.config().resolveSibling("crl/root.crl"));
    Files.delete(h.config().resolveSibling("crl"));
    h.start();
    Doctor d = doctor();
    assertEquals(2, d.exit(), "the first failing check is a configuration error\n" + d.raw());
    assertStatus(d, "FAIL", "release-root", "server-ca", "crls", "ports");
    assertTrue(d.detail("release-root").contains("does not exist"), d.raw());
    assertTrue(d.detail("crls").contains("CRL_MISSING"), d.raw());
    assertTrue(d.detail("ports").contains("fixture fx1: port "), d.raw());
    for (String n : List.of("release-root", "server-ca", "crls", "ports")) {
      assertFalse(d.fix(n).isEmpty(), n);
    }
    assertStatus(d, "WARN", "port-policy");
    DaemonHarness.Run text = h.cli("doctor");
    assertTrue(text.out().matches("(?s).*FAIL +crls .*\n +fix: .*"), text.toString());
  }

  @Test
  void expiredCrlAndRootFailAsPolicyRefusals() throws Exception {
    harness("");
    StationTrust trust = StationTrust.write(h.config().getParent());
    Instant now = Instant.now();
    trust.writeRootCrl(now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(1)));
    h.start();
    Doctor d = doctor();
    assertEquals(3, d.exit(), d.raw());
    assertStatus(d, "OK", "release-root");
    assertStatus(d, "FAIL", "crls");
    assertTrue(d.detail("crls").contains("root.crl expired at"), d.raw());

    trust.writeRootCrl(now.minus(Duration.ofHours(20)), now.plus(Duration.ofHours(4)));
    d = doctor();
    assertEquals(0, d.exit(), d.raw());
    assertStatus(d, "WARN", "crls");

    trust.writeRoot(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(2)));
    d = doctor();
    assertEquals(3, d.exit(), d.raw());
    assertStatus(d, "FAIL", "release-root");
    assertTrue(d.detail("release-root").endsWith("expired"), d.raw());
  }

  @Test
  void trustFilesWritableByOthersLinkedOrForeignOwnedFail() throws Exception {
    harness("");
    h.start();
    Doctor ok = doctor();
    assertStatus(ok, "OK", "files");
    Path root = h.config().resolveSibling("release-root.pem");

    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rw-rw-rw-"));
    Doctor writable = doctor();
    assertEquals(3, writable.exit(), writable.raw());
    assertStatus(writable, "FAIL", "files");
    assertTrue(writable.detail("files").contains(root + " is mode rw-rw-rw-"), writable.raw());
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rw-r--r--"));

    Path ca = h.config().resolveSibling("server-ca.pem");
    Path real = Files.move(ca, tmp.resolve("elsewhere.pem"));
    Files.createSymbolicLink(ca, real);
    Doctor linked = doctor();
    assertStatus(linked, "FAIL", "files");
    assertTrue(linked.detail("files").contains(ca + " is a symbolic link"), linked.raw());
    Files.delete(ca);
    Files.move(real, ca);

    assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
    Path crl = h.config().resolveSibling("crl/root.crl");
    UserPrincipal nobody =
        crl.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(crl, nobody);
    Doctor foreign = doctor();
    assertStatus(foreign, "FAIL", "files");
    assertTrue(foreign.detail("files").contains(crl + " is owned by nobody"), foreign.raw());
  }

  @Test
  void editedAuditEntryFailsTheChainCheck() throws Exception {
    harness("");
    h.start();
    // A denial is chained: root maps to engineer only, audit verification needs security.
    assertEquals(3, h.cli("audit", "verify").exit());
    assertStatus(doctor(), "OK", "audit");
    sqlite(
        h.dataDir().resolve("burnguard.db"),
        "DROP TRIGGER audit_chain_no_update; DROP TRIGGER audit_chain_no_delete;\n"
            + "UPDATE audit_chain SET payload = payload || ' ' WHERE seq = (SELECT MAX(seq)"
            + " FROM audit_chain);");
    Doctor d = doctor();
    assertEquals(3, d.exit(), d.raw());
    assertStatus(d, "FAIL", "audit");
    assertTrue(d.detail("audit").startsWith("EDITED at sequence"), d.raw());
  }

  @Test
  void withoutTheDaemonTheCliChecksTheSameFiles() throws Exception {
    harness(station(tmp.resolve("no-such-tty"), "ports:\n  mode: enforce\n"));
    Doctor healthy = doctor();
    assertEquals(5, healthy.exit(), healthy.raw());
    assertStatus(healthy, "FAIL", "daemon", "ports");
    assertStatus(healthy, "OK", "release-root", "server-ca", "crls", "files", "port-policy");

    Files.delete(h.config().resolveSibling("release-root.pem"));
    Files.setPosixFilePermissions(
        h.config().resolveSibling("server-ca.pem"), PosixFilePermissions.fromString("rw-rw-rw-"));
    Doctor broken = doctor();
    assertEquals(5, broken.exit(), broken.raw());
    assertStatus(broken, "FAIL", "release-root", "files");
  }

  private static byte[] image(int size) {
    byte[] b = new byte[size];
    new Random(9).nextBytes(b);
    return b;
  }

  private static void sqlite(Path db, String sql) throws Exception {
    Process p = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true).start();
    p.getOutputStream().write(sql.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
  }
}
