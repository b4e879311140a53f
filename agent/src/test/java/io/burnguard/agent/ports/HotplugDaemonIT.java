package io.burnguard.agent.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.ports.testing.UmockdevTestbed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hotplug through the real daemon: the daemon runs in a umockdev testbed that outlives it ({@link
 * UmockdevTestbed}), devices are added with umockdev's uevent API (its emulated uevent socket
 * answers recvmsg), and the daemon is restarted on the same testbed.
 */
class HotplugDaemonIT {
  private static final String USB1 = "/sys/devices/pci0000:00/0000:00:14.0/usb1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RULES =
      "allow id 1d6b:0002\n"
          + "allow id 05e3:0608\n"
          + "allow id 1234:5678 ; interfaces { 03:*:* }\n"
          + "allow with-interface equals { 03:01:02 } ; max-present 1\n"
          + "block with-interface one-of { 08:*:* }\n";

  @TempDir Path tmp;
  private DaemonHarness h;
  private UmockdevTestbed testbed;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
    if (testbed != null) {
      testbed.close();
    }
  }

  @Test
  void aStickPluggedInIsBlockedRecordedAndStaysBlockedAcrossARestart() throws Exception {
    testbed =
        UmockdevTestbed.start(
            UmockdevTestbed.resource("/umockdev/station.umockdev", tmp.resolve("station.umockdev")),
            tmp);
    Path rules = tmp.resolve("rules.conf");
    Files.writeString(rules, RULES, StandardCharsets.ISO_8859_1);
    Files.setPosixFilePermissions(rules, PosixFilePermissions.fromString("rw-r--r--"));
    h =
        new DaemonHarness(
            tmp,
            "unix:" + tmp.resolve("no-clamd.sock"),
            "  root: security\n",
            null,
            "ports:\n  mode: enforce\n  rulesFile: " + rules + "\n");
    h.wrapWith(testbed.wrapper());
    h.start();
    assertEquals("0", testbed.attribute(USB1, "authorized_default"));

    // Plugged in: the kernel leaves it unauthorized (authorized_default=0); the rule keeps it so.
    String stick = testbed.add(resource("hotplug-stick.umockdev"));
    JsonNode decided = waitForDevice("1-4");
    assertEquals("block", decided.path("action").asText(), decided.toString());
    assertEquals(5, decided.path("line").asInt(), decided.toString());
    assertEquals("0", testbed.attribute(stick, "authorized"));
    JsonNode inserted = lastEvent("1-4");
    assertEquals("INSERTED", inserted.path("kind").asText(), inserted.toString());
    assertEquals(5, inserted.path("ruleLine").asInt(), inserted.toString());
    assertTrue(inserted.path("applied").asBoolean(), inserted.toString());
    assertTrue(
        alerts().stream()
            .anyMatch(
                a ->
                    a.startsWith("WARNING port.blocked ")
                        && a.contains("on port 1-4")
                        && a.contains("line 5: block with-interface one-of { 08:*:* }")),
        alerts().toString());

    // An allowed hub plugged in is written authorized=1: the daemon acts on hotplug, not only on
    // what it found at start.
    String hub = testbed.add(resource("hotplug-hub.umockdev"));
    assertEquals("allow", waitForDevice("1-5").path("action").asText());
    assertEquals("1", testbed.attribute(hub, "authorized"));

    assertEquals(0, h.stop(), h.daemonOutput());
    assertEquals("0", testbed.attribute(stick, "authorized"), "a stopped daemon opened the stick");
    assertEquals("0", testbed.attribute(USB1, "authorized_default"));

    h.start();
    JsonNode again = device(json("ports", "--json"), "1-4").orElseThrow();
    assertEquals("block", again.path("action").asText(), again.toString());
    assertEquals("0", testbed.attribute(stick, "authorized"));
    assertEquals("PRESENT", lastEvent("1-4").path("kind").asText());

    testbed.remove(stick);
    assertTrue(
        DaemonHarness.waitFor(
            Duration.ofSeconds(30),
            () -> "REMOVED".equals(quietly(() -> lastEvent("1-4").path("kind").asText()))),
        "no REMOVED event for 1-4");
    assertTrue(device(json("ports", "--json"), "1-4").isEmpty());
  }

  private Path resource(String name) throws Exception {
    return UmockdevTestbed.resource("/umockdev/" + name, tmp.resolve(name));
  }

  private JsonNode waitForDevice(String port) throws Exception {
    JsonNode[] found = {null};
    boolean ok =
        DaemonHarness.waitFor(
            Duration.ofSeconds(30),
            () -> {
              found[0] = quietly(() -> device(json("ports", "--json"), port).orElse(null));
              return found[0] != null;
            });
    assertTrue(ok, "the daemon never decided " + port + ":\n" + h.daemonOutput());
    return found[0];
  }

  private JsonNode json(String... args) throws Exception {
    DaemonHarness.Run r = h.cli(args);
    assertEquals(0, r.exit(), r.toString());
    return JSON.readTree(r.out());
  }

  private JsonNode lastEvent(String port) throws Exception {
    JsonNode last = null;
    for (JsonNode e : json("ports", "events", "--since", "2000-01-01", "--json").path("events")) {
      last = e.path("port").asText().equals(port) ? e : last;
    }
    assertTrue(last != null, "no port event for " + port);
    return last;
  }

  private List<String> alerts() throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode a : json("alerts", "--json").path("alerts")) {
      out.add(
          a.path("severity").asText()
              + " "
              + a.path("kind").asText()
              + " "
              + a.path("message").asText());
    }
    return out;
  }

  private static Optional<JsonNode> device(JsonNode ports, String port) {
    for (JsonNode d : ports.path("devices")) {
      if (d.path("port").asText().equals(port)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  private interface Step<T> {
    T get() throws Exception;
  }

  private static <T> T quietly(Step<T> s) {
    try {
      return s.get();
    } catch (Exception | AssertionError e) {
      return null;
    }
  }
}
