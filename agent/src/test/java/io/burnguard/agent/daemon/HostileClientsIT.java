package io.burnguard.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.ControlClient;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.scan.ClamdFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of issue 12 on the control socket (findings 4, 5, 8 and the protocol part of 10),
 * made against the real daemon through its real socket, with real OS users where the attack needs
 * another uid.
 */
class HostileClientsIT {
  @TempDir Path tmp;

  private static ClamdFixture clamd;
  private DaemonHarness h;

  @BeforeAll
  static void startClamd() throws IOException {
    clamd = ClamdFixture.builder().start();
  }

  @AfterAll
  static void stopClamd() throws IOException {
    clamd.close();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (h != null) {
      h.close();
    }
  }

  private void started(String roles, String socketGroup) throws Exception {
    h = new DaemonHarness(tmp, clamd.unixAddress().toString(), roles, socketGroup, "");
    h.start();
  }

  /**
   * Finding 4: 64 idle connections from a socket-group member with no role (nobody), reconnected as
   * the daemon closes them. The operator's doctor is still served, before and after the idle
   * connections are cut; nobody is told "busy" (exit 5), not "Broken pipe"; the flood is logged and
   * recorded once.
   */
  @Test
  void idleConnectionFloodFromAnotherUserDoesNotLockOutTheOperator() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root to run as nobody (runuser)");
    started("  root: operator\n", "nogroup");
    Process flood = startFlood("nobody", 64, 30);
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(flood.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("ready", out.readLine(), "the flood holds its 64 connections");
      long started = System.nanoTime();
      assertDoctorServed("at the start of the flood");
      DaemonHarness.Run mallory = h.cliAs("nobody", "doctor");
      assertEquals(5, mallory.exit(), mallory.toString());
      // doctor renders an unreachable daemon as a FAIL line on stdout; other commands on stderr
      assertTrue(
          mallory.toString().contains("the daemon is busy: you (nobody) already have"),
          mallory.toString());
      assertFalse(mallory.toString().contains("Broken pipe"), mallory.toString());
      // Past the request deadline the idle connections were cut and reopened at least once.
      DaemonHarness.waitFor(
          Duration.ofSeconds(20),
          () -> System.nanoTime() - started > (Wire.REQUEST_DEADLINE_MS + 2000) * 1_000_000L);
      assertDoctorServed("after the idle connections were cut and reopened");
      assertTrue(flood.waitFor(60, TimeUnit.SECONDS), "the flood ends");
      JsonNode summary = Wire.mapper().readTree(out.readLine());
      assertTrue(summary.path("busy").asLong() > 48, "the flood was refused: " + summary);
    } finally {
      flood.destroyForcibly();
    }
    assertEquals(
        1, count("SELECT COUNT(*) FROM admin_events WHERE kind='BUSY' AND os_user='nobody'"));
    assertEquals(
        1, count("SELECT COUNT(*) FROM audit_chain WHERE kind='control.busy'"), "chained once");
    String log = Files.readString(h.dataDir().resolve("log/agent.log"));
    assertEquals(1, occurrences(log, "refusing connections of nobody"), "logged once:\n" + log);
  }

  private void assertDoctorServed(String when) throws Exception {
    DaemonHarness.Run r = h.cli("doctor");
    assertEquals(0, r.exit(), when + ": " + r);
    assertTrue(r.out().contains("station test-station (you: root"), when + ": " + r);
  }

  private Process startFlood(String user, int connections, int seconds) throws IOException {
    Path script = tmp.resolve("idle-flood.py");
    try (InputStream in = HostileClientsIT.class.getResourceAsStream("idle-flood.py")) {
      Files.copy(in, script);
    }
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
    return new ProcessBuilder(
            "runuser",
            "-u",
            user,
            "--",
            "python3",
            script.toString(),
            h.socket().toString(),
            Integer.toString(connections),
            Integer.toString(seconds))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /**
   * Finding 5: 8 threads send a forbidden request for a few seconds. Every one is refused and the
   * record is exact, but the chain grows by at most two entries (the first at once, the repeats
   * when the daemon stops), not one per request.
   */
  @Test
  void denialFloodIsCoalescedIntoFewChainedEntriesWithTheExactCount() throws Exception {
    started("  root: engineer\n", null);
    ControlClient client = new ControlClient(h.socket());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    List<Future<long[]>> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(
          pool.submit(
              () -> {
                long refused = 0;
                long other = 0;
                while (System.nanoTime() < end) {
                  Result r = client.call(Operation.AUDIT_VERIFY, null, ControlClient.SILENT);
                  if (r.exit() == ExitCode.REFUSED) {
                    refused++;
                  } else {
                    other++;
                  }
                }
                return new long[] {refused, other};
              }));
    }
    long refused = 0;
    for (Future<long[]> f : threads) {
      long[] r = f.get(60, TimeUnit.SECONDS);
      assertEquals(0, r[1], "every request was refused for its role");
      refused += r[0];
    }
    pool.shutdown();
    assertTrue(refused > 100, "a flood: " + refused);
    assertEquals(
        1, count("SELECT COUNT(*) FROM admin_events WHERE kind='DENIED'"), "first one, at once");
    assertEquals(0, h.stop());
    long entries = count("SELECT COUNT(*) FROM audit_chain WHERE kind='control.denied'");
    assertTrue(entries <= 2, entries + " chained entries for " + refused + " denials");
    long recorded = 0;
    for (String payload : payloads("control.denied")) {
      JsonNode p = Wire.mapper().readTree(payload);
      assertEquals("root", p.path("user").asText());
      assertEquals("audit.verify", p.path("op").asText());
      assertTrue(
          !p.path("first").asText().isEmpty() && !p.path("last").asText().isEmpty(), payload);
      recorded += p.path("count").asLong();
    }
    assertEquals(refused, recorded, "the count recorded is exact");
  }

  /**
   * Finding 8: free text with ESC, CR LF, NUL or U+202E is refused at the protocol edge (exit 2,
   * naming the field), before the handler can store or print it.
   */
  @Test
  void freeTextWithControlCharactersIsRefusedNamingTheField() throws Exception {
    started("  root: operator\n", null);
    ControlClient client = new ControlClient(h.socket());
    ObjectNode burn = Wire.object();
    burn.put("fixture", "f1");
    burn.put("barcode", "SN0001");
    burn.put("reworkReason", "\u001b[2J\u001b[H\u001b[32mPASS all units verified OK");
    Result r = client.call(Operation.BURN, burn, ControlClient.SILENT);
    assertEquals(ExitCode.USAGE, r.exit(), r.message());
    assertTrue(
        r.message()
            .startsWith(
                "argument \"reworkReason\" holds the control or formatting character U+001B at"
                    + " position 1"),
        r.message());
    for (String hostile :
        List.of("fine\r\nFORGED LOG LINE", "nul\u0000", "\u202Edrow", "x".repeat(501))) {
      burn.put("reworkReason", hostile);
      Result again = client.call(Operation.BURN, burn, ControlClient.SILENT);
      assertEquals(ExitCode.USAGE, again.exit(), hostile);
      assertTrue(again.message().startsWith("argument \"reworkReason\""), again.message());
    }
    Result trace =
        client.call(
            Operation.TRACE,
            Wire.object().put("barcode", "SN\u001b]0;owned\u0007"),
            ControlClient.SILENT);
    assertEquals(ExitCode.USAGE, trace.exit(), trace.message());
    assertTrue(trace.message().startsWith("argument \"barcode\""), trace.message());
  }

  /**
   * Finding 10 (protocol): "v" must be the JSON integer 1, and a key given twice is refused, both
   * with exit 2 and a reason.
   */
  @Test
  void protocolVersionIsExactAndDuplicateKeysAreRefused() throws Exception {
    started("  root: engineer\n", null);
    for (String v : List.of("\"1\"", "1.9", "4294967297", "1.0")) {
      JsonNode reply = raw("{\"v\":" + v + ",\"op\":\"doctor\",\"args\":{}}");
      assertEquals(2, reply.path("exit").asInt(), v + ": " + reply);
      assertTrue(
          reply.path("message").asText().startsWith("request has protocol version " + v),
          reply.toString());
    }
    JsonNode dup = raw("{\"v\":1,\"op\":\"doctor\",\"args\":{},\"op\":\"audit.verify\"}");
    assertEquals(2, dup.path("exit").asInt(), dup.toString());
    assertTrue(
        dup.path("message").asText().startsWith("request has the key \"op\" more than once"),
        dup.toString());
    JsonNode ok = raw("{\"v\":1,\"op\":\"doctor\",\"args\":{}}");
    assertEquals(0, ok.path("exit").asInt(), ok.toString());
    // Five bad requests, one log line: garbage does not fill the log (the repeats are counted).
    String log = Files.readString(h.dataDir().resolve("log/agent.log"));
    assertEquals(1, occurrences(log, "bad request from root"), log);
  }

  /** Sends one raw request line and returns the daemon's result line. */
  private JsonNode raw(String line) throws Exception {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(h.socket()));
      ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        JsonNode n = Wire.mapper().readTree(l);
        if ("result".equals(n.path("type").asText())) {
          return n;
        }
      }
      throw new IllegalStateException("no result for " + line);
    }
  }

  private static int occurrences(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + h.dataDir().resolve("burnguard.db"));
  }

  private long count(String sql) throws Exception {
    try (Connection c = db();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  private List<String> payloads(String kind) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT payload FROM audit_chain WHERE kind='" + kind + "' ORDER BY seq")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
