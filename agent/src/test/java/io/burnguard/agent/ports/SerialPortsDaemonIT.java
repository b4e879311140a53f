package io.burnguard.agent.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.ports.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon watches its fixture's serial port (one end of a socat pty pair): a foreign {@code cat}
 * opening it raises a severity-1 alert naming its PID, command line and user, and the use is in
 * {@code port_events}.
 */
class SerialPortsDaemonIT {
  @TempDir Path tmp;
  private DaemonHarness h;
  private Process socat;
  private Process cat;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
    for (Process p : new Process[] {cat, socat}) {
      if (p != null) {
        p.destroy();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aForeignProcessOpeningTheFixturePortIsASeverityOneAlert() throws Exception {
    Path port = tmp.resolve("fx1");
    socat =
        new ProcessBuilder(
                Tools.require("socat", "socat"),
                "pty,raw,echo=0,link=" + port,
                "pty,raw,echo=0,link=" + tmp.resolve("peer"))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("socat.out").toFile())
            .start();
    assertTrue(
        DaemonHarness.waitFor(
            Duration.ofSeconds(20), () -> Files.exists(port) && Files.exists(tmp.resolve("peer"))),
        "socat made no pty pair");
    Path root = Files.createDirectories(tmp.resolve("station"));
    h =
        new DaemonHarness(
            root,
            "unix:" + tmp.resolve("no-clamd.sock"),
            "  root: security\n",
            null,
            "fixtures:\n"
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
                + "      readBack: [\"crc32 0 10\"]\n");
    h.start();

    cat = new ProcessBuilder("cat", port.toString()).start();
    String needle = "was opened by PID " + cat.pid() + " (cat " + port + ", user root)";
    String[] last = {""};
    boolean alerted =
        DaemonHarness.waitFor(
            Duration.ofSeconds(30),
            () -> {
              try {
                last[0] = h.cli("alerts").out();
              } catch (Exception e) {
                return false;
              }
              return last[0].contains(needle);
            });
    assertTrue(alerted, "no alert containing: " + needle + "\n" + last[0]);
    assertTrue(
        last[0].matches("(?s).*CRITICAL +port\\.serial-foreign .*fixture fx1 serial port.*"),
        last[0]);

    String json = h.cli("ports", "--json").out();
    com.fasterxml.jackson.databind.JsonNode serial =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("serial");
    com.fasterxml.jackson.databind.JsonNode fx = null;
    for (com.fasterxml.jackson.databind.JsonNode n : serial) {
      fx = "fx1".equals(n.path("fixture").asText()) ? n : fx;
    }
    assertTrue(fx != null, "no serial port of fixture fx1 in ports --json: " + json);
    assertEquals(port.toRealPath().toString(), fx.path("node").asText(), json);
    assertTrue(fx.path("users").toString().contains("\"pid\":" + cat.pid()), json);
    assertEquals("foreign-open", fx.path("lastUse").path("action").asText(), json);
    String table = h.cli("ports").out();
    assertTrue(
        table.matches(
            "(?s).*serial ports:\n(.*\n)?"
                + java.util.regex.Pattern.quote(port.toRealPath().toString())
                + " +fixture fx1 .*held by .*PID "
                + cat.pid()
                + " \\(cat [^\n]*; last use \\S+ foreign-open\n.*"),
        table);

    String events = h.cli("ports", "events", "--since", "2000-01-01", "--json").out();
    assertTrue(events.contains("\"kind\" : \"SERIAL_USE\""), events);
    assertTrue(
        events.contains("already held when the daemon started by PID " + socat.pid()), events);
  }
}
