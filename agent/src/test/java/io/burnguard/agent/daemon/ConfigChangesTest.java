package io.burnguard.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.burnguard.config.StationConfig;
import io.burnguard.config.StationConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a reload would change, and which changes need a restart. */
class ConfigChangesTest {
  private static final String BASE =
      String.join(
          "\n",
          "station:",
          "  id: s1",
          "  dataDir: /var/lib/burnguard",
          "roles:",
          "  burnguard-op: operator",
          "server:",
          "  url: https://firmware.example/bg",
          "  spkiPin: " + "ab".repeat(32),
          "trust:",
          "  releaseRoot: /etc/burnguard/release-root.pem",
          "  crlDir: /var/lib/burnguard/crl",
          "  signers: [\"Signer A\"]",
          "scanner:",
          "  clamd: unix:/run/clamav/clamd.ctl",
          "fixtures:",
          "  - id: fx1",
          "    driver: uboot-serial",
          "    port: /dev/ttyS1",
          "    model: IPC-X1",
          "models:",
          "  IPC-X1:",
          "    barcodeRule: \"690123[0-9]{7}\"",
          "    recipe:",
          "      write: [\"sf write ${loadaddr} 0 ${size_hex}\"]",
          "      readBack: [\"crc32 ${loadaddr} ${size_hex}\"]",
          "");

  private static StationConfig parse(String yaml) throws Exception {
    return StationConfigLoader.parse("station.yaml", yaml);
  }

  @Test
  void theSameFileChangesNothingEvenWithARegularExpressionInIt() throws Exception {
    assertEquals(List.of(), ConfigChanges.summary(parse(BASE), parse(BASE)));
    assertEquals(List.of(), ConfigChanges.restartOnly(parse(BASE), parse(BASE)));
  }

  @Test
  void changedSectionsAndEntriesAreNamed() throws Exception {
    String changed =
        BASE.replace("burnguard-op: operator", "burnguard-op: qa")
            .replace("port: /dev/ttyS1", "port: /dev/ttyS2")
            .replace("690123[0-9]{7}", "690124[0-9]{7}")
            .replace("clamd: unix:/run/clamav/clamd.ctl", "clamd: tcp://127.0.0.1:3310");
    assertEquals(
        List.of(
            "roles changed", "scanner changed", "fixtures.fx1 changed", "models.IPC-X1 changed"),
        ConfigChanges.summary(parse(BASE), parse(changed)));
    String added =
        BASE.replace(
            "  - id: fx1",
            "  - id: fx2\n    driver: uboot-serial\n"
                + "    port: /dev/ttyS3\n    model: IPC-X1\n  - id: fx1");
    assertEquals(List.of("fixtures.fx2 added"), ConfigChanges.summary(parse(BASE), parse(added)));
    assertEquals(
        List.of("fixtures.fx1 removed", "fixtures.fx9 added"),
        ConfigChanges.summary(parse(BASE), parse(BASE.replace("id: fx1", "id: fx9"))));
  }

  @Test
  void stationIdentityAndPlacesNeedARestart() throws Exception {
    String moved =
        BASE.replace("id: s1", "id: s2")
            .replace("dataDir: /var/lib/burnguard", "dataDir: /srv/burnguard")
            .replace("roles:", "  socket: /run/bg/control.sock\n  socketGroup: bg\nroles:");
    assertEquals(
        List.of(
            "station.id (s1 -> s2)",
            "station.dataDir (/var/lib/burnguard -> /srv/burnguard)",
            "station.socket (/run/burnguard/control.sock -> /run/bg/control.sock)",
            "station.socketGroup (null -> bg)"),
        ConfigChanges.restartOnly(parse(BASE), parse(moved)));
  }

  @Test
  void theInventoryScheduleFleetAndPortModeApplyOnlyAfterARestart() throws Exception {
    String parts =
        BASE
            + "parts:\n  inventoryInterval: 2d\n  inventoryCheck: 5m\n"
            + "ports:\n  mode: enforce\n  rulesFile: /etc/r.conf\n";
    assertEquals(List.of(), ConfigChanges.restartOnly(parse(BASE), parse(parts)));
    assertEquals(
        List.of("parts.inventoryCheck changed", "ports.mode changed"),
        ConfigChanges.pendingRestart(parse(BASE), parse(parts)));
    // The rest of parts follows the reload; the rules file is read again by policy reload.
    String applied = BASE + "parts:\n  inventoryInterval: 2d\nports:\n  rulesFile: /etc/r.conf\n";
    assertEquals(List.of(), ConfigChanges.pendingRestart(parse(BASE), parse(applied)));
    assertEquals(
        List.of("ports changed", "parts changed"),
        ConfigChanges.summary(parse(BASE), parse(parts)));
    // Undone in a later reload: nothing is pending against what the daemon started with.
    assertEquals(List.of(), ConfigChanges.pendingRestart(parse(BASE), parse(BASE)));
    String scanner =
        BASE.replace("clamd: unix:/run/clamav/clamd.ctl", "clamd: tcp://127.0.0.1:3310");
    assertEquals(
        List.of("scanner changed (key-parts scans; burns use the new one)"),
        ConfigChanges.pendingRestart(parse(BASE), parse(scanner)));
  }
}
