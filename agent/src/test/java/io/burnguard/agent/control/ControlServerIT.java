package io.burnguard.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.config.Role;
import java.io.BufferedReader;
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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control server in-process on a real Unix socket, with real peer credentials: the caller is
 * the test's own user, whose groups are mapped to the security role.
 */
class ControlServerIT {
  @TempDir Path tmp;

  private final Map<Operation, Handler> handlers = new EnumMap<>(Operation.class);
  private final List<String> denied = new CopyOnWriteArrayList<>();
  private ControlServer server;

  private ControlClient start() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("run"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
    Map<String, Role> roles = Map.of(System.getProperty("user.name"), Role.SECURITY);
    server =
        new ControlServer(
            dir.resolve("control.sock"),
            roles,
            handlers,
            d -> denied.add(d.caller().user() + " " + d.request()),
            java.time.Clock.systemUTC(),
            " (test log)");
    server.start();
    return new ControlClient(server.socket());
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void progressInfoAndStreamedOutputArriveBeforeTheResult() throws Exception {
    String row = "y".repeat(999) + "\n";
    handlers.put(
        Operation.ALERTS_LIST,
        call -> {
          call.progress("scan", 1, 2);
          call.info("half way");
          try {
            for (int i = 0; i < 50; i++) {
              call.stdout().write(row);
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return Result.ok(Wire.object().put("rows", 50));
        });
    List<String> seen = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    Result r = start().call(Operation.ALERTS_LIST, Wire.object(), recorder(seen, out));
    assertEquals(ExitCode.OK, r.exit(), r.message());
    assertEquals(50, r.data().path("rows").asInt());
    assertEquals(List.of("progress scan 1/2", "info half way"), seen);
    assertEquals(row.repeat(50), out.toString());
  }

  @Test
  void handlerFailuresBecomeResultsWithTheirExitCodes() throws Exception {
    handlers.put(
        Operation.ALERTS_ACK,
        call -> {
          throw new OperationException(ExitCode.DEVICE, "the fixture is gone");
        });
    handlers.put(
        Operation.AUDIT_HEAD,
        call -> {
          throw new IllegalStateException("bug");
        });
    ControlClient client = start();
    Result device = client.call(Operation.ALERTS_ACK, Wire.object(), ControlClient.SILENT);
    assertEquals(ExitCode.DEVICE, device.exit());
    assertEquals("the fixture is gone", device.message());
    Result bug = client.call(Operation.AUDIT_HEAD, Wire.object(), ControlClient.SILENT);
    assertEquals(ExitCode.INTERNAL, bug.exit());
    assertEquals(
        "internal error while serving \"audit.head\" (IllegalStateException); details are in the"
            + " daemon log (test log)",
        bug.message());
  }

  @Test
  void rolesAreCheckedBeforeTheHandlerAndUnbuiltOperationsSaySo() throws Exception {
    handlers.put(Operation.ORDER_OPEN, call -> Result.ok(null));
    ControlClient client = start();
    Result refused = client.call(Operation.ORDER_OPEN, Wire.object(), ControlClient.SILENT);
    assertEquals(ExitCode.REFUSED, refused.exit());
    assertTrue(
        refused.message().contains("\"order open\" needs the role engineer"), refused.message());
    assertEquals(List.of(System.getProperty("user.name") + " order.open"), denied);
    Result unbuilt = client.call(Operation.PORTS, Wire.object(), ControlClient.SILENT);
    assertEquals(ExitCode.USAGE, unbuilt.exit());
    assertEquals("\"ports\" is not built yet in this version of BurnGuard", unbuilt.message());
    String unknown = raw("{\"v\":1,\"op\":\"nosuch\"}\n");
    assertTrue(unknown.contains("the daemon does not know the request \\\"nosuch\\\""), unknown);
  }

  @Test
  void connectionsOfOneUserBeyondItsShareAreToldTheDaemonIsBusy() throws Exception {
    int share = Admission.MAX_PER_USER;
    CountDownLatch entered = new CountDownLatch(share);
    CountDownLatch release = new CountDownLatch(1);
    handlers.put(
        Operation.AUDIT_VERIFY,
        call -> {
          entered.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Result.ok(null);
        });
    ControlClient client = start();
    ExecutorService pool = Executors.newFixedThreadPool(share);
    try {
      List<Future<Result>> busy = new ArrayList<>();
      for (int i = 0; i < share; i++) {
        busy.add(
            pool.submit(() -> client.call(Operation.AUDIT_VERIFY, null, ControlClient.SILENT)));
      }
      assertTrue(entered.await(30, TimeUnit.SECONDS), "the user's share of requests running");
      Result extra = client.call(Operation.AUDIT_VERIFY, null, ControlClient.SILENT);
      assertEquals(ExitCode.UNAVAILABLE, extra.exit());
      assertTrue(
          extra
              .message()
              .startsWith(
                  "the daemon is busy: you ("
                      + System.getProperty("user.name")
                      + ") already have 16 connections open"),
          extra.message());
      release.countDown();
      for (Future<Result> f : busy) {
        assertEquals(ExitCode.OK, f.get(30, TimeUnit.SECONDS).exit());
      }
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void idleConnectionsHoldNoWorkerAndAreCutAfterTheDeadline() throws Exception {
    handlers.put(Operation.AUDIT_HEAD, call -> Result.ok(Wire.object().put("served", true)));
    ControlClient client = start();
    List<SocketChannel> idle = new ArrayList<>();
    try {
      for (int i = 0; i < Admission.MAX_PER_USER - 1; i++) {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(server.socket()));
        idle.add(ch);
      }
      long t0 = System.nanoTime();
      Result r = client.call(Operation.AUDIT_HEAD, null, ControlClient.SILENT);
      assertEquals(ExitCode.OK, r.exit(), r.message());
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "served while the others idle");
      // The daemon cuts an idle connection: reading it ends (EOF) after the request deadline.
      ByteBuffer bb = ByteBuffer.allocate(16);
      long start = System.nanoTime();
      assertEquals(-1, idle.get(0).read(bb));
      long waitedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(waitedMs < Wire.REQUEST_DEADLINE_MS + 3000, "cut after " + waitedMs + " ms");
    } finally {
      for (SocketChannel ch : idle) {
        ch.close();
      }
    }
  }

  private String raw(String request) throws Exception {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(server.socket()));
      ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
      return new BufferedReader(
              new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))
          .readLine();
    }
  }

  private static ControlClient.Listener recorder(List<String> seen, StringBuilder out) {
    return new ControlClient.Listener() {
      @Override
      public void progress(String phase, long done, long total) {
        seen.add("progress " + phase + " " + done + "/" + total);
      }

      @Override
      public void info(String message) {
        seen.add("info " + message);
      }

      @Override
      public void out(String text) {
        out.append(text);
      }
    };
  }
}
