package io.burnguard.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.ControlClient;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.scan.ClamdFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real daemon, the real CLI launcher, a real socket and a real SQLite file. */
class DaemonIT {
  @TempDir Path tmp;

  private static ClamdFixture clamd;

  @BeforeAll
  static void startClamd() throws IOException {
    clamd = ClamdFixture.builder().start();
  }

  @AfterAll
  static void stopClamd() throws IOException {
    clamd.close();
  }

  private DaemonHarness h;

  @AfterEach
  void stop() throws InterruptedException {
    if (h != null) {
      h.close();
    }
  }

  private DaemonHarness started(String roles, String socketGroup) throws Exception {
    h = new DaemonHarness(tmp, clamd.unixAddress().toString(), roles, socketGroup, "");
    h.start();
    return h;
  }

  @Test
  void realCliCallIsServedOverTheSocket() throws Exception {
    started("  root: engineer\n", null);
    DaemonHarness.Run r = h.cli("doctor");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("station test-station (you: root"), r.toString());
    assertTrue(r.out().matches("(?s).*OK +database .*writable.*"), r.toString());
    assertTrue(r.out().matches("(?s).*OK +socket +socket rw-rw----.*rwxr-x---.*"), r.toString());
    assertTrue(r.out().matches("(?s).*OK +disk .* free.*"), r.toString());

    DaemonHarness.Run json = h.cli("doctor", "--json");
    assertEquals(0, json.exit(), json.toString());
    var n = Wire.mapper().readTree(json.out());
    assertEquals("test-station", n.path("station").asText());
    // 13 + trust refresh (issue 12) + fleet shipping (issue 16) + SIGHUP reaches the reload
    assertEquals(16, n.path("checks").size(), json.out());
    assertTrue(r.out().matches("(?s).*OK +reload +SIGHUP reloads station.yaml.*"), r.toString());
    assertTrue(
        r.out()
            .matches("(?s).*OK +clamd +clamd at unix:.*: [0-9.]+, signatures version 1, .* old.*"),
        r.toString());
  }

  @Test
  void doctorFailsClosedWhenClamdDoesNotAnswer() throws Exception {
    h =
        new DaemonHarness(
            tmp, "unix:" + tmp.resolve("no-clamd.sock"), "  root: engineer\n", null, "");
    h.start();
    DaemonHarness.Run r = h.cli("doctor");
    assertEquals(5, r.exit(), r.toString());
    assertTrue(
        r.out().matches("(?s).*FAIL +clamd +clamd at unix:.*does not answer.*"), r.toString());
  }

  @Test
  void socketIs0660InsideA0750Directory() throws Exception {
    started("  root: engineer\n", null);
    PosixFileAttributes dir =
        Files.readAttributes(h.socket().getParent(), PosixFileAttributes.class);
    PosixFileAttributes sock =
        Files.readAttributes(
            h.socket(), PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    assertEquals("rwxr-x---", PosixFilePermissions.toString(dir.permissions()));
    assertEquals("rw-rw----", PosixFilePermissions.toString(sock.permissions()));
  }

  @Test
  void callerWithoutTheRoleIsRefusedWithExit3AndRecorded() throws Exception {
    started("  root: engineer\n", null);
    // root maps to engineer only; audit verification needs security.
    Result r =
        new ControlClient(h.socket())
            .call(Operation.AUDIT_VERIFY, Wire.object(), ControlClient.SILENT);
    assertEquals(ExitCode.REFUSED, r.exit(), r.message());
    assertTrue(r.message().contains("needs the role security"), r.message());
    assertTrue(r.message().contains("which map to the roles engineer"), r.message());
    assertEquals(
        1,
        count(
            "SELECT COUNT(*) FROM admin_events WHERE kind='DENIED'"
                + " AND request='audit.verify' AND os_user='root'"));
  }

  @Test
  void anotherOsUserWithNoMappedGroupIsRefusedByPeerCredentials() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root to run the CLI as another user");
    // nobody may reach the socket (socket group nogroup) but nogroup maps to no role.
    started("  root: engineer\n", "nogroup");
    DaemonHarness.Run r = h.cliAs("nobody", "doctor");
    assertEquals(3, r.exit(), r.toString());
    assertTrue(
        r.err().contains("you are nobody in groups [nogroup], which map to no role"), r.toString());
    assertEquals(
        1,
        count("SELECT COUNT(*) FROM admin_events WHERE kind='DENIED'" + " AND os_user='nobody'"));
    // The same user, once its group is mapped, is served: the identity is the kernel's.
    h.stop();
    h.writeConfig("  root: engineer\n  nogroup: qa\n", "nogroup", "");
    h.start();
    DaemonHarness.Run ok = h.cliAs("nobody", "doctor");
    assertEquals(0, ok.exit(), ok.toString());
    assertTrue(ok.out().contains("(you: nobody, roles: [\"qa\"])"), ok.toString());
  }

  @Test
  void userOutsideTheSocketGroupCannotEvenConnect() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root to run the CLI as another user");
    started("  root: engineer\n", "root");
    DaemonHarness.Run r = h.cliAs("nobody", "doctor");
    // The kernel refuses connect(2) (EACCES): a policy refusal, not an unreachable daemon.
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.err().contains("burnguard: permission denied on " + h.socket()), r.toString());
    assertTrue(r.err().contains("not in the group"), r.toString());
    assertEquals("", r.out(), r.toString());
  }

  @Test
  void garbageAndOversizedRequestsAreRejectedAndTheDaemonLivesOn() throws Exception {
    started("  root: engineer\n", null);
    String notJson = rawExchange("this is not json\n".getBytes(StandardCharsets.UTF_8));
    assertTrue(notJson.contains("request is not valid JSON"), notJson);
    assertTrue(notJson.contains("\"exit\":2"), notJson);
    String v99 = rawExchange("{\"v\":99,\"op\":\"doctor\"}\n".getBytes(StandardCharsets.UTF_8));
    assertTrue(v99.contains("request has protocol version 99"), v99);
    assertTrue(v99.contains("\"exit\":2"), v99);
    String binary = rawExchange(new byte[] {0, 1, 2, (byte) 0xff, '\n'});
    assertTrue(binary.contains("request is not valid JSON"), binary);
    assertTrue(binary.contains("\"exit\":2"), binary);
    byte[] huge = new byte[10 << 20];
    Arrays.fill(huge, (byte) 'a');
    huge[huge.length - 1] = '\n';
    String reply = rawExchange(huge);
    assertTrue(reply.contains("request larger than 65536 bytes"), reply);
    assertTrue(reply.contains("\"exit\":2"), reply);
    // A client that connects and never sends anything does not block others.
    try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      silent.connect(UnixDomainSocketAddress.of(h.socket()));
      DaemonHarness.Run r = h.cli("doctor");
      assertEquals(0, r.exit(), r.toString());
    }
    assertTrue(h.process().isAlive(), h.daemonOutput());
  }

  @Test
  void sigtermStopsCleanlyAndTheDaemonRestartsOnTheSameDatabase() throws Exception {
    started("  root: engineer\n", null);
    assertEquals(0, h.cli("doctor").exit());
    assertEquals(0, h.stop(), h.daemonOutput());
    assertFalse(Files.exists(h.socket()), "socket removed at shutdown");
    assertTrue(h.daemonOutput().contains("BurnGuard daemon stopped"), h.daemonOutput());
    DaemonHarness.Run down = h.cli("doctor");
    assertEquals(5, down.exit(), down.toString());
    assertTrue(down.out().contains("Start it with"), down.toString());

    h.start();
    assertEquals(0, h.cli("doctor").exit());
    assertEquals(2, count("SELECT COUNT(*) FROM admin_events WHERE kind='DAEMON_START'"));
    assertEquals(1, count("SELECT COUNT(*) FROM admin_events WHERE kind='DAEMON_STOP'"));
    assertEquals(
        count("SELECT MAX(version) FROM schema_version"),
        count("SELECT COUNT(*) FROM schema_version"),
        "each migration applied once across restarts");
  }

  @Test
  void invalidConfigKeepsTheDaemonFromStarting() throws Exception {
    h =
        new DaemonHarness(
            tmp, clamd.unixAddress().toString(), "  root: engineer\n", null, "colour: blue\n");
    DaemonHarness.Run r = h.startExpectingFailure();
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("refuses to start"), r.toString());
    assertTrue(r.err().contains("unknown key \"colour\""), r.toString());
    assertFalse(Files.exists(h.socket()));
  }

  @Test
  void secondDaemonOnTheSameSocketRefusesToStart() throws Exception {
    started("  root: engineer\n", null);
    DaemonHarness.Run r = h.startExpectingFailure();
    assertEquals(5, r.exit(), r.toString());
    assertTrue(r.err().contains("already running"), r.toString());
    assertEquals(0, h.cli("doctor").exit(), "first daemon still serves");
  }

  @Test
  void unbuiltCommandsSaySoWithExit2AfterTheRoleCheck() throws Exception {
    started("  root: engineer\n", null);
    DaemonHarness.Run burn = h.cli("burn", "--fixture", "fx1", "--barcode", "X1");
    assertEquals(3, burn.exit(), burn.toString());
    assertTrue(burn.out().contains("needs the role operator"), burn.toString());
  }

  /**
   * Sends raw bytes on the socket and returns everything the daemon answered. The reply is read on
   * its own thread while the request is written, so a daemon that answers and closes before the
   * whole (oversized) request is written is still heard. When the daemon closes with part of the
   * request unread, the kernel ends the stream with a connection reset instead of end-of-file
   * (AF_UNIX, like TCP's RST): the bytes read before it are the daemon's whole answer.
   */
  private String rawExchange(byte[] request) throws Exception {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(h.socket()));
      InputStream in = Channels.newInputStream(ch);
      CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> readUntilClosed(in));
      ByteBuffer bb = ByteBuffer.wrap(request);
      try {
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
      } catch (IOException e) {
        assertTrue(request.length > Wire.MAX_REQUEST_BYTES, "write failed: " + e);
      }
      return reply.get(30, TimeUnit.SECONDS);
    }
  }

  private static String readUntilClosed(InputStream in) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        got.write(buf, 0, n);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("Connection reset")) {
        throw new UncheckedIOException(e);
      }
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  private long count(String sql) throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + h.dataDir().resolve("burnguard.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }
}
