package io.burnguard.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.burnguard.agent.control.Wire;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.testing.ReleaseKit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code burnguard config reload} and SIGHUP on the real daemon through the real CLI: a valid file
 * changes roles and fixtures at once; an invalid one, one with unreadable trust files, or one that
 * changes a restart-only setting changes nothing, says why (file:line) with exit 2; every reload is
 * recorded in admin_events and the audit chain. The operator is the OS user {@code nobody} (group
 * nogroup), who reaches the socket through its group.
 */
class ConfigReloadIT {
  private static final String ENGINEER = "  root: engineer\n";
  private static final String WITH_OPERATOR = ENGINEER + "  nogroup: operator\n";
  private static final String FIXTURE =
      "fixtures:\n"
          + "  - id: fx1\n"
          + "    driver: uboot-serial\n"
          + "    port: /dev/ttyS9\n"
          + "    model: IPC-X1\n"
          + "models:\n"
          + "  IPC-X1:\n"
          + "    recipe:\n"
          + "      write: [\"sf write ${loadaddr} 0 ${size_hex}\"]\n"
          + "      readBack: [\"crc32 ${loadaddr} ${size_hex}\"]\n";

  @TempDir Path tmp;

  private static ClamdFixture clamd;
  private ReleaseKit kit;
  private DaemonHarness h;

  @BeforeAll
  static void startClamd() throws IOException {
    clamd = ClamdFixture.builder().start();
  }

  @AfterAll
  static void stopClamd() throws IOException {
    clamd.close();
  }

  @BeforeEach
  void station() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root to run the CLI as the operator (nobody)");
    // nobody runs the app copied under tmp
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    kit = new ReleaseKit(tmp.resolve("kit"));
    Files.createDirectory(tmp.resolve("station"));
    h =
        new DaemonHarness(
            tmp.resolve("station"), clamd.unixAddress().toString(), ENGINEER, "nogroup", "");
    h.serverAndTrust(kit.stationYaml(1));
    h.writeConfig(ENGINEER, "nogroup", "");
    h.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void aValidReloadChangesRolesAndFixturesAtOnceAndIsRecorded() throws Exception {
    DaemonHarness.Run before = operatorBurn();
    assertEquals(3, before.exit(), before.toString());
    assertTrue(said(before).contains("which map to no role"), before.toString());

    h.writeConfig(WITH_OPERATOR, "nogroup", FIXTURE);
    DaemonHarness.Run r = h.cli("config", "reload");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(
        r.out()
            .contains(
                "(generation 2): roles changed, fixtures.fx1 added," + " models.IPC-X1 added"),
        r.toString());

    // The operator's group is mapped now and fx1 exists: the burn gets as far as the work order.
    DaemonHarness.Run after = operatorBurn();
    assertEquals(3, after.exit(), after.toString());
    assertTrue(said(after).contains("no open work order for model IPC-X1"), after.toString());
    assertEquals(
        1,
        count(
            "SELECT COUNT(*) FROM admin_events WHERE kind='CONFIG_RELOAD'"
                + " AND os_user='root' AND detail LIKE 'generation 2:%'"));
    assertEquals(
        1,
        count(
            "SELECT COUNT(*) FROM audit_chain WHERE kind='config.reloaded'"
                + " AND payload LIKE '%\"by\":\"root\"%'"));
  }

  @Test
  void anInvalidFileChangesNothingAndNamesEveryProblemWithItsLine() throws Exception {
    h.writeConfig(WITH_OPERATOR, "nogroup", FIXTURE.replace("uboot-serial", "nosuch"));
    int line = lineOf("driver: nosuch");
    DaemonHarness.Run r = h.cli("config", "reload");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("reload refused, nothing was changed"), r.toString());
    assertTrue(r.err().contains(h.config() + ":" + line + ": fixtures[0].driver"), r.toString());

    DaemonHarness.Run still = operatorBurn();
    assertEquals(3, still.exit(), still.toString());
    assertTrue(said(still).contains("which map to no role"), still.toString());
    assertEquals(1, generation());
    assertEquals(1, count("SELECT COUNT(*) FROM admin_events WHERE kind='CONFIG_RELOAD_REFUSED'"));
    assertEquals(1, count("SELECT COUNT(*) FROM audit_chain WHERE kind='config.reload.refused'"));
  }

  @Test
  void sighupReloads() throws Exception {
    h.writeConfig(WITH_OPERATOR, "nogroup", FIXTURE);
    Process kill =
        new ProcessBuilder("kill", "-HUP", Long.toString(h.process().pid())).inheritIO().start();
    assertEquals(0, kill.waitFor());
    assertTrue(
        DaemonHarness.waitFor(Duration.ofSeconds(30), () -> generationOrZero() == 2),
        "SIGHUP did not reload:\n" + outputOrEmpty());
    DaemonHarness.Run after = operatorBurn();
    assertTrue(said(after).contains("no open work order for model IPC-X1"), after.toString());
    assertEquals(
        1,
        count(
            "SELECT COUNT(*) FROM admin_events WHERE kind='CONFIG_RELOAD'"
                + " AND os_user IS NULL"));
    assertEquals(
        1,
        count(
            "SELECT COUNT(*) FROM audit_chain WHERE kind='config.reloaded'"
                + " AND payload LIKE '%\"by\":\"SIGHUP\"%'"));
  }

  @Test
  void restartOnlySettingsAndBrokenTrustFilesAreRefused() throws Exception {
    h.writeConfig(WITH_OPERATOR, "nogroup", FIXTURE);
    String yaml = Files.readString(h.config());
    Files.writeString(
        h.config(),
        yaml.replace("dataDir: " + h.dataDir(), "dataDir: " + tmp.resolve("elsewhere")),
        StandardCharsets.UTF_8);
    DaemonHarness.Run r = h.cli("config", "reload");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("changes station.dataDir (" + h.dataDir()), r.toString());
    assertTrue(r.err().contains("Restart the service"), r.toString());
    assertEquals(1, generation());
    assertTrue(Files.notExists(tmp.resolve("elsewhere")), "a refused reload created the new dir");

    Files.writeString(h.config(), yaml, StandardCharsets.UTF_8);
    Path root = kit.dir().resolve("release-root.pem");
    byte[] good = Files.readAllBytes(root);
    Files.writeString(root, "not a certificate\n");
    DaemonHarness.Run broken = h.cli("config", "reload");
    assertEquals(2, broken.exit(), broken.toString());
    assertTrue(broken.err().contains("trust.releaseRoot " + root), broken.toString());
    assertEquals(1, generation());

    Files.write(root, good);
    DaemonHarness.Run ok = h.cli("config", "reload");
    assertEquals(0, ok.exit(), ok.toString());
    assertEquals(2, generation());
  }

  /** The start's file-trust check (owners, modes, links) runs again on the reloaded file. */
  @Test
  void filesOthersCouldChangeAreRefusedAtReloadAsAtStart() throws Exception {
    h.writeConfig(WITH_OPERATOR, "nogroup", FIXTURE);
    Files.setPosixFilePermissions(h.config(), PosixFilePermissions.fromString("rw-rw-rw-"));
    DaemonHarness.Run r = h.cli("config", "reload");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("reload refused, nothing was changed"), r.toString());
    assertTrue(
        r.err().contains(h.config() + " is mode rw-rw-rw-; group or others may write it"),
        r.toString());
    assertEquals(1, generation());

    Files.setPosixFilePermissions(h.config(), PosixFilePermissions.fromString("rw-r--r--"));
    Path root = kit.dir().resolve("release-root.pem");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rw-r--rw-"));
    DaemonHarness.Run rootWritable = h.cli("config", "reload");
    assertEquals(2, rootWritable.exit(), rootWritable.toString());
    assertTrue(
        rootWritable.err().contains("trust.releaseRoot " + root + " is mode rw-r--rw-"),
        rootWritable.toString());
    assertEquals(1, generation());
    assertEquals(
        2,
        count(
            "SELECT COUNT(*) FROM admin_events WHERE kind='CONFIG_RELOAD_REFUSED'"
                + " AND detail LIKE '%are not safe%'"));
    assertEquals(
        2,
        count(
            "SELECT COUNT(*) FROM audit_chain WHERE kind='config.reload.refused'"
                + " AND payload LIKE '%\"why\":\"file-trust\"%'"));
    assertEquals(
        2,
        count(
            "SELECT COUNT(*) FROM alerts WHERE kind='config-files-untrusted'"
                + " AND severity='WARNING'"));

    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rw-r--r--"));
    DaemonHarness.Run ok = h.cli("config", "reload");
    assertEquals(0, ok.exit(), ok.toString());
    assertEquals(2, generation());
  }

  /**
   * The trust refresher takes the reloaded {@code trust.refreshInterval} (a pass at once, then
   * every 2 s), a changed {@code parts.inventoryInterval} is applied, and a changed {@code
   * parts.inventoryCheck} (the schedule, built at start) is named as needing a restart.
   */
  @Test
  void theTrustRefresherFollowsAReloadAndPartsChangesAreNamedAsNeedingARestart() throws Exception {
    assertTrue(
        DaemonHarness.waitFor(
            Duration.ofSeconds(30),
            () ->
                nextRefreshInOrMax().compareTo(Duration.ofMinutes(1)) > 0
                    && nextRefreshInOrMax().compareTo(Duration.ofDays(1)) < 0),
        "every 5m (the default) after the first pass at start: " + nextRefreshInOrMax());
    h.serverAndTrust(kit.stationYaml(1) + "  refreshInterval: 2s\n");
    h.writeConfig(ENGINEER, "nogroup", "parts:\n  inventoryInterval: 2d\n  inventoryCheck: 5m\n");
    DaemonHarness.Run r = h.cli("config", "reload");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("(generation 2): trust changed, parts changed."), r.toString());
    assertTrue(
        r.out()
            .contains(
                "Only a restart (systemctl restart burnguard) puts these in force: parts.inventoryCheck"),
        r.toString());
    assertTrue(
        DaemonHarness.waitFor(
            Duration.ofSeconds(30),
            () -> nextRefreshInOrMax().compareTo(Duration.ofSeconds(10)) < 0),
        "the refresher runs every 2 s after the reload: " + nextRefreshInOrMax());
    assertEquals(
        1,
        count(
            "SELECT COUNT(*) FROM audit_chain WHERE kind='config.reloaded'"
                + " AND payload LIKE '%\"pendingRestart\":[\"parts.inventoryCheck changed\"]%'"));
  }

  /** How long until the trust refresher's next pass, per doctor's {@code refresh} line. */
  private Duration nextRefreshIn() throws Exception {
    DaemonHarness.Run d = h.cli("doctor", "--json");
    for (var c : Wire.mapper().readTree(d.out()).path("checks")) {
      if (c.path("name").asText().equals("refresh")) {
        String detail = c.path("detail").asText();
        String next = detail.substring(detail.lastIndexOf("next refresh ") + 13).trim();
        return Duration.between(java.time.Instant.now(), java.time.Instant.parse(next));
      }
    }
    throw new IllegalStateException("no refresh line: " + d);
  }

  private Duration nextRefreshInOrMax() {
    try {
      return nextRefreshIn();
    } catch (Exception e) {
      return Duration.ofDays(1);
    }
  }

  private DaemonHarness.Run operatorBurn() throws Exception {
    return h.cliAs("nobody", "burn", "--fixture", "fx1", "--barcode", "SN000001");
  }

  /** What the burn printed (the burn's verdict is on stdout, other errors on stderr). */
  private static String said(DaemonHarness.Run r) {
    return r.out() + r.err();
  }

  private int lineOf(String text) throws IOException {
    List<String> lines = Files.readAllLines(h.config());
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new IllegalStateException(text + " is not in " + h.config());
  }

  private long generation() throws Exception {
    DaemonHarness.Run r = h.cli("doctor", "--json");
    return Wire.mapper().readTree(r.out()).path("configGeneration").asLong();
  }

  private long generationOrZero() {
    try {
      return generation();
    } catch (Exception e) {
      return 0;
    }
  }

  private String outputOrEmpty() {
    try {
      return h.daemonOutput();
    } catch (IOException e) {
      return "";
    }
  }

  private long count(String sql) throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + h.dataDir().resolve("burnguard.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }
}
