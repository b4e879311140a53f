package io.burnguard.agent.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.burnguard.agent.alerts.RsyslogFixture;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.ports.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The port monitor inside the real daemon, which runs under {@code umockdev-run} with the port
 * monitor's station recording as /sys (hub, keyboard+storage composite, two identical mice without
 * serial, a Cruzer stick, a device with bad descriptors). Requests go through the real CLI.
 */
class PortsDaemonIT {
  private static final String USB = "/sys/devices/pci0000:00/0000:00:14.0/usb1/";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private DaemonHarness h;

  @AfterEach
  void stop() throws InterruptedException {
    if (h != null) {
      h.close();
    }
  }

  private DaemonHarness daemon(String mode, String rules, String roles, String group)
      throws Exception {
    return daemon(mode, rules, roles, group, "");
  }

  private DaemonHarness daemon(
      String mode, String rules, String roles, String group, String extraPorts) throws Exception {
    Path rec = tmp.resolve("station.umockdev");
    try (InputStream in = Tools.class.getResourceAsStream("/umockdev/station.umockdev")) {
      Files.copy(in, rec);
    }
    Path rulesFile = writeRules(rules);
    h =
        new DaemonHarness(
            tmp,
            "unix:" + tmp.resolve("no-clamd.sock"),
            roles,
            group,
            "ports:\n  mode: " + mode + "\n  rulesFile: " + rulesFile + "\n" + extraPorts);
    h.wrapWith(List.of(Tools.require("umockdev-run", "umockdev"), "-d", rec.toString(), "--"));
    h.start();
    return h;
  }

  private Path writeRules(String rules) throws IOException {
    Path f = tmp.resolve("rules.conf");
    Files.writeString(f, rules, StandardCharsets.ISO_8859_1);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    return f;
  }

  private JsonNode json(String... args) throws Exception {
    DaemonHarness.Run r = h.cli(args);
    assertEquals(0, r.exit(), r.toString());
    return JSON.readTree(r.out());
  }

  /** The daemon's testbed directory, from the environment of the JVM under umockdev-run. */
  private Path testbed() throws IOException {
    for (ProcessHandle p : h.process().descendants().toList()) {
      Path env = Path.of("/proc", String.valueOf(p.pid()), "environ");
      String text;
      try {
        text = new String(Files.readAllBytes(env), StandardCharsets.UTF_8);
      } catch (IOException gone) {
        continue;
      }
      for (String kv : text.split("\0")) {
        if (kv.startsWith("UMOCKDEV_DIR=")) {
          return Path.of(kv.substring("UMOCKDEV_DIR=".length()));
        }
      }
    }
    throw new IllegalStateException("no process under umockdev-run has UMOCKDEV_DIR");
  }

  private String authorized(String device) throws IOException {
    return Files.readString(testbed().resolve(USB.substring(1) + device + "/authorized")).trim();
  }

  private static Optional<JsonNode> device(JsonNode ports, String port) {
    for (JsonNode d : ports.path("devices")) {
      if (d.path("port").asText().equals(port)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  private static final String ENFORCE_RULES =
      "allow id 1d6b:0002\n"
          + "allow id 05e3:0608\n"
          + "allow id 1234:5678 ; interfaces { 03:*:* }\n"
          + "allow with-interface equals { 03:01:02 } ; max-present 1\n"
          + "block with-interface one-of { 08:*:* }\n";

  @Test
  void enforceDecidesPresentDevicesBeforeServingAndRecordsEachWithItsRule() throws Exception {
    daemon("enforce", ENFORCE_RULES, "  root: security\n", null);

    JsonNode ports = json("ports", "--json");
    assertEquals("enforce", ports.path("mode").asText(), ports.toString());
    JsonNode stick = device(ports, "1-2").orElseThrow();
    assertEquals("block", stick.path("action").asText(), stick.toString());
    assertEquals(5, stick.path("line").asInt(), stick.toString());
    assertEquals("block with-interface one-of { 08:*:* }", stick.path("rule").asText());
    JsonNode secondMouse = device(ports, "1-1.3").orElseThrow();
    assertEquals("implicit", secondMouse.path("rule").asText(), secondMouse.toString());
    assertEquals("1-3", ports.path("refused").path(0).path("port").asText(), ports.toString());
    // Written into the daemon's testbed: the stick, the second mouse and the refused device are
    // off, the composite's keyboard interface on and its storage interface off.
    assertEquals("0", authorized("1-2"));
    assertEquals("0", authorized("1-1/1-1.3"));
    assertEquals("0", authorized("1-3"));
    assertEquals("1", authorized("1-1/1-1.1/1-1.1:1.0"));
    assertEquals("0", authorized("1-1/1-1.1/1-1.1:1.1"));
    assertEquals(
        "0", Files.readString(testbed().resolve(USB.substring(1) + "authorized_default")).trim());

    JsonNode events = json("ports", "events", "--since", "2000-01-01", "--json").path("events");
    JsonNode stickEvent = null;
    for (JsonNode e : events) {
      if (e.path("port").asText().equals("1-2")) {
        stickEvent = e;
      }
    }
    assertNotNull(stickEvent, events.toString());
    assertEquals("PRESENT", stickEvent.path("kind").asText());
    assertEquals("ENFORCE", stickEvent.path("mode").asText());
    assertEquals("0781:5567", stickEvent.path("deviceId").asText(), stickEvent.toString());
    assertEquals(5, stickEvent.path("ruleLine").asInt());
    assertTrue(stickEvent.path("applied").asBoolean(), stickEvent.toString());

    String alerts = h.cli("alerts").out();
    assertTrue(
        alerts.matches(
            "(?s).*WARNING +port\\.blocked .*0781:5567 \"Cruzer Blade\".* on port 1-2: block by"
                + " line 5: block with-interface one-of \\{ 08:\\*:\\* \\}.*"),
        alerts);
    assertTrue(alerts.contains("port.refused-device"), alerts);

    // Every port_events row is a projection of the audit chain.
    DaemonHarness.Run verify = h.cli("audit", "verify");
    assertEquals(0, verify.exit(), verify.toString());
  }

  @Test
  void monitorModeChangesNothingAndUnknownStorageIsSeverityOneAlsoInSyslog() throws Exception {
    Path syslogDir = Files.createDirectory(tmp.resolve("syslog"));
    try (RsyslogFixture rs = RsyslogFixture.start(syslogDir)) {
      daemon(
          "monitor",
          "allow id 1d6b:*\nallow id 05e3:0608\n",
          "  root: security\n",
          null,
          "  syslog: unix:" + rs.unixSocket() + "\n");
      monitorModeChangesNothingAndUnknownStorageIsSeverityOne();
      String line = rs.awaitLine("unknown mass storage 0781:5567");
      assertNotNull(line, rs.received());
      assertTrue(
          line.matches(
              "<34>1 \\S+ \\S+ burnguard \\d+ port\\.unknown-storage \\[burnguard@32473"
                  + " station=\"test-station\" alert=\"\\d+\" severity=\"CRITICAL\"\\] .*by the"
                  + " implicit target.*"),
          line);
    }
  }

  private void monitorModeChangesNothingAndUnknownStorageIsSeverityOne() throws Exception {

    JsonNode ports = json("ports", "--json");
    assertEquals("block", device(ports, "1-2").orElseThrow().path("action").asText());
    assertEquals("1", authorized("1-2"));
    assertEquals("1", authorized("1-1/1-1.3"));
    assertEquals(
        "1", Files.readString(testbed().resolve(USB.substring(1) + "authorized_default")).trim());

    JsonNode alerts = json("alerts", "--json").path("alerts");
    List<String> critical = new ArrayList<>();
    for (JsonNode a : alerts) {
      if (a.path("severity").asText().equals("CRITICAL")) {
        critical.add(a.path("kind").asText() + " " + a.path("message").asText());
      }
    }
    assertTrue(
        critical.stream()
            .anyMatch(
                m ->
                    m.startsWith("port.unknown-storage unknown mass storage 0781:5567")
                        && m.contains("by the implicit target")
                        && m.contains("monitor mode: monitor mode: would block; nothing changed")),
        critical.toString());
  }

  @Test
  void aBadRulesFileChangesNothingAndAGoodOneIsAppliedAtOnce() throws Exception {
    daemon("enforce", ENFORCE_RULES, "  root: security\n", null);
    String before = h.cli("policy", "show").out();
    assertTrue(before.contains("block with-interface one-of { 08:*:* }"), before);

    writeRules("allow id 1d6b:0002\nallow id 0781:5567 serial\nallow bogus\n");
    DaemonHarness.Run bad = h.cli("policy", "reload");
    assertEquals(2, bad.exit(), bad.toString());
    assertTrue(bad.err().contains("running policy is unchanged"), bad.toString());
    assertTrue(bad.err().contains("rules.conf:2:"), bad.toString());
    assertTrue(bad.err().contains("rules.conf:3:"), bad.toString());
    assertEquals(before, h.cli("policy", "show").out());
    assertEquals("0", authorized("1-2"));

    writeRules(ENFORCE_RULES.replace("block with-interface", "allow with-interface"));
    DaemonHarness.Run good = h.cli("policy", "reload");
    assertEquals(0, good.exit(), good.toString());
    JsonNode stick = device(json("ports", "--json"), "1-2").orElseThrow();
    assertEquals("allow", stick.path("action").asText(), stick.toString());
    assertEquals("1", authorized("1-2"));
  }

  @Test
  void policyReloadReadsTheRulesFileOfTheCurrentConfiguration() throws Exception {
    daemon("enforce", ENFORCE_RULES, "  root: security\n", null);
    assertEquals("0", authorized("1-2"));
    Path second = tmp.resolve("rules-2.conf");
    Files.writeString(
        second,
        ENFORCE_RULES.replace("block with-interface", "allow with-interface"),
        StandardCharsets.ISO_8859_1);
    Files.setPosixFilePermissions(second, PosixFilePermissions.fromString("rw-r--r--"));
    h.writeConfig(
        "  root: security\n", null, "ports:\n  mode: enforce\n  rulesFile: " + second + "\n");
    // SIGHUP to the daemon's JVM (config reload needs the engineer role, root here is security).
    for (ProcessHandle p : h.process().descendants().toList()) {
      if (p.info().command().orElse("").endsWith("/java")) {
        new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).inheritIO().start().waitFor();
      }
    }
    DaemonHarness.Run[] policy = {null};
    assertTrue(
        DaemonHarness.waitFor(
            java.time.Duration.ofSeconds(30),
            () -> {
              try {
                policy[0] = h.cli("policy", "reload");
              } catch (Exception e) {
                return false;
              }
              return policy[0].exit() == 0 && policy[0].toString().contains("from " + second);
            }),
        "policy reload never read " + second + ": " + policy[0]);
    assertEquals(second.toString(), json("policy", "show", "--json").path("source").asText());
    assertEquals(
        "allow", device(json("ports", "--json"), "1-2").orElseThrow().path("action").asText());
    assertEquals("1", authorized("1-2"));
  }

  @Test
  void portsAndPolicyNeedTheSecurityRole() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root for runuser");
    daemon("monitor", "allow\n", "  root: security\n  nogroup: engineer\n", "nogroup");
    for (String[] cmd :
        List.of(
            new String[] {"ports"},
            new String[] {"ports", "events", "--since", "2000-01-01"},
            new String[] {"policy", "show"},
            new String[] {"policy", "reload"})) {
      DaemonHarness.Run r = h.cliAs("nobody", cmd);
      assertEquals(3, r.exit(), r.toString());
      assertTrue(r.err().contains("needs the role security"), r.toString());
    }
  }

  @Test
  void generateUnderTheTestbedPrintsWhatUsbguardPrints() throws Exception {
    daemon("monitor", "allow\n", "  root: security\n", null);
    DaemonHarness.Run ours = h.cli("policy", "generate");
    assertEquals(0, ours.exit(), ours.toString());
    Tools.Run theirs =
        Tools.run(
            tmp,
            List.of(
                Tools.require("umockdev-run", "umockdev"),
                "-d",
                tmp.resolve("station.umockdev").toString(),
                "--",
                Tools.require("usbguard", "usbguard"),
                "generate-policy"));
    assertEquals(0, theirs.exit(), theirs.stderr());
    assertEquals(theirs.stdout(), ours.out());
  }
}
