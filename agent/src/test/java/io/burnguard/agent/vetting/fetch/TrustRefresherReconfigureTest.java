package io.burnguard.agent.vetting.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.db.Database;
import io.burnguard.agent.vetting.SqliteVersionStore;
import io.burnguard.agent.vetting.TrustLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config reload hands the one trust refresher the new generation's settings (issue 13 follow-up):
 * the next pass uses the new server, CRL directory and names, and a new interval restarts its
 * timer. Servers here are stubs that count their use and fail, which is all a pass needs to show
 * whose settings it ran with.
 */
class TrustRefresherReconfigureTest {
  @TempDir Path tmp;

  private Database db;
  private TrustRefresher refresher;
  private final Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();

  @BeforeEach
  void open() throws Exception {
    db = Database.open(tmp.resolve("station.db"));
  }

  @AfterEach
  void close() {
    if (refresher != null) {
      refresher.close();
    }
    db.close();
  }

  private TrustRefresher.Settings settings(String server, Duration every) {
    Path crlDir = tmp.resolve("crl-" + server);
    return new TrustRefresher.Settings(
        TrustLoader.station(tmp.resolve("root.pem"), crlDir, 1, List.of("Signer A")),
        crlDir,
        List.of("ca.crl"),
        every,
        () -> {
          opened.computeIfAbsent(server, k -> new AtomicInteger()).incrementAndGet();
          throw new IOException("server " + server + " is down");
        });
  }

  private int opens(String server) {
    AtomicInteger n = opened.get(server);
    return n == null ? 0 : n.get();
  }

  /** Starts the refresher on server A, passing every hour. */
  private void startOnServerA() throws Exception {
    refresher =
        new TrustRefresher(
            settings("A", Duration.ofHours(1)),
            new SqliteVersionStore(db),
            new ReleaseCatalog(db),
            (critical, kind, message) -> {},
            Clock.systemUTC());
    refresher.start();
  }

  private String lastError() {
    return refresher.status().lastError().map(TrustStatus.Failure::message).orElse("");
  }

  @Test
  void theNextPassUsesTheReloadedServerAtOnceWhenTheServerChanged() throws Exception {
    startOnServerA();
    assertTrue(waitFor(() -> lastError().contains("server A is down")), lastError());

    refresher.reconfigure(settings("B", Duration.ofHours(1)), true);
    assertTrue(waitFor(() -> lastError().contains("server B is down")), lastError());
    assertEquals(1, opens("A"), "server A is not asked again: " + opened);
    assertEquals(tmp.resolve("crl-B"), refresher.settings().crlDir());
    assertEquals(Duration.ofHours(1), refresher.status().interval());
  }

  @Test
  void aNewIntervalRestartsTheTimer() throws Exception {
    startOnServerA();
    assertTrue(waitFor(() -> opens("A") == 1), "first pass at start: " + opened);

    // Without a pass asked for, only the new timer (every 200 ms) can make passes.
    refresher.reconfigure(settings("C", Duration.ofMillis(200)), false);
    assertTrue(waitFor(() -> opens("C") >= 3), "passes every 200 ms: " + opened);
    assertEquals(Duration.ofMillis(200), refresher.status().interval());
    assertEquals(1, opens("A"), opened.toString());
  }

  private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }
}
