package io.burnguard.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.config.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot discipline of configuration reloads at the control server, on a real socket: a
 * request keeps the generation it started with while a reload swaps in the next one, and a new
 * request is authorized and served by the new generation (roles and handlers from one snapshot).
 */
class RoutesSnapshotIT {
  @TempDir Path tmp;

  private final List<String> denied = new CopyOnWriteArrayList<>();
  private final AtomicReference<Routes> current = new AtomicReference<>();
  private ControlServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private ControlClient start() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("run"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
    server =
        new ControlServer(
            dir.resolve("control.sock"),
            current::get,
            d -> denied.add(d.caller().user() + " " + d.request()),
            java.time.Clock.systemUTC(),
            " (test log)");
    server.start();
    return new ControlClient(server.socket());
  }

  private static Map<String, Role> me(Role role) {
    return Map.of(System.getProperty("user.name"), role);
  }

  /** A generation whose doctor answers with its own name, after {@code gate} opens. */
  private static Routes generation(
      String name, Map<String, Role> roles, CountDownLatch entered, CountDownLatch gate) {
    Handler doctor =
        call -> {
          entered.countDown();
          try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
              return Result.fail(ExitCode.INTERNAL, "gate never opened");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new Result(ExitCode.OK, name, null);
        };
    return new Routes(roles, Map.of(Operation.DOCTOR, doctor));
  }

  @Test
  void aRequestRunningDuringAReloadKeepsItsGenerationAndTheNextSeesTheNewOne() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch open = new CountDownLatch(0);
    current.set(generation("generation 1", me(Role.SECURITY), entered, gate));
    ControlClient client = start();

    CompletableFuture<Result> running =
        CompletableFuture.supplyAsync(() -> call(client, Operation.DOCTOR));
    assertTrue(entered.await(30, TimeUnit.SECONDS), "the first request never reached its handler");
    current.set(generation("generation 2", me(Role.QA), new CountDownLatch(1), open));

    Result during = call(client, Operation.DOCTOR);
    assertEquals(ExitCode.OK, during.exit(), during.message());
    assertEquals("generation 2", during.message());
    gate.countDown();
    Result first = running.get(30, TimeUnit.SECONDS);
    assertEquals(ExitCode.OK, first.exit(), first.message());
    assertEquals("generation 1", first.message(), "the running request changed generation");
  }

  @Test
  void rolesOfTheNewGenerationDecideTheNextRequest() throws Exception {
    CountDownLatch open = new CountDownLatch(0);
    current.set(generation("served", me(Role.SECURITY), new CountDownLatch(1), open));
    ControlClient client = start();
    assertEquals(ExitCode.OK, call(client, Operation.DOCTOR).exit());

    current.set(generation("served", Map.of(), new CountDownLatch(1), open));
    Result r = call(client, Operation.DOCTOR);
    assertEquals(ExitCode.REFUSED, r.exit(), r.message());
    assertTrue(r.message().contains("which map to no role"), r.message());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (denied.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(20); // the refusal is recorded on the server's record thread
    }
    assertEquals(List.of(System.getProperty("user.name") + " doctor"), denied);
  }

  private static Result call(ControlClient client, Operation op) {
    try {
      return client.call(op, Wire.object(), ControlClient.SILENT);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
