package io.burnguard.agent.burn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.Caller;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.testing.TestClock;
import io.burnguard.config.StationConfig;
import io.burnguard.config.StationConfigLoader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reloaded pipeline ({@link BurnPipeline#reconfigured}) shares the fixture locks of the one it
 * replaces: a burn still running under the old station.yaml and a new burn under the reloaded one
 * never hold one fixture at once, even when the reload changed its settings or renamed it.
 */
class BurnPipelineReloadTest {
  @TempDir Path tmp;

  private Database db;
  private LedgerService ledger;

  @BeforeEach
  void open() throws Exception {
    db = Database.open(tmp.resolve("burnguard.db"));
    ledger = LedgerService.open(db, new TestClock(Instant.parse("2026-11-21T08:00:00Z")));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static StationConfig station(String fixtureId, String ip) throws Exception {
    return StationConfigLoader.parse(
        "station.yaml",
        String.join(
            "\n",
            "station:",
            "  id: s1",
            "  dataDir: /var/lib/burnguard",
            "roles:",
            "  root: operator",
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
            "  - id: " + fixtureId,
            "    driver: uboot-tftp",
            "    port: /dev/ttyS1",
            "    model: IPC-X1",
            "    settings:",
            "      device_ip: " + ip,
            "models:",
            "  IPC-X1:",
            "    recipe:",
            "      write: [\"sf write ${loadaddr} 0 ${size_hex}\"]",
            "      readBack: [\"crc32 ${loadaddr} ${size_hex}\"]",
            ""));
  }

  @Test
  void aBurnUnderTheOldGenerationHoldsItsFixtureAgainstTheNewOne() throws Exception {
    BurnPipeline old = new BurnPipeline(station("fx1", "10.0.0.2"), ledger, null, null);
    BurnPipeline changed = old.reconfigured(station("fx1", "10.0.0.3"), null, null);
    BurnPipeline renamed = old.reconfigured(station("fx9", "10.0.0.2"), null, null);
    assertSame(old.fixtureLocks(), changed.fixtureLocks());

    StationConfig.Fixture running = station("fx1", "10.0.0.2").fixtures().get(0);
    try (FixtureLocks.Held h = old.fixtureLocks().hold(running)) {
      OperationException sameId = burnElsewhere(changed, "fx1");
      assertEquals(ExitCode.DEVICE, sameId.exit(), sameId.getMessage());
      assertTrue(sameId.getMessage().startsWith("fixture fx1 is busy"), sameId.getMessage());
      OperationException samePort = burnElsewhere(renamed, "fx9");
      assertEquals(ExitCode.DEVICE, samePort.exit(), samePort.getMessage());
      assertTrue(
          samePort.getMessage().contains("its port /dev/ttyS1 is in use"), samePort.getMessage());
    }
    // Once the old burn is over, the new generation's burn gets past the fixture (and stops at
    // the work order: none is open).
    OperationException after = burnElsewhere(changed, "fx1");
    assertEquals(ExitCode.REFUSED, after.exit(), after.getMessage());
    assertTrue(after.getMessage().contains("no open work order"), after.getMessage());
  }

  /** Runs a burn on another thread (the held locks are re-entrant on this one). */
  private static OperationException burnElsewhere(BurnPipeline p, String fixture) throws Exception {
    return CompletableFuture.supplyAsync(
            () ->
                assertThrows(
                    OperationException.class,
                    () ->
                        p.burn(
                            new QuietCall(), new BurnArguments(fixture, "SN000001", null, null))))
        .get(30, TimeUnit.SECONDS);
  }

  /** A caller with the operator role who ignores progress. */
  private static final class QuietCall implements Call {
    @Override
    public Caller caller() {
      return new Caller(
          "op", 1000, java.util.List.of("op"), java.util.Set.of(io.burnguard.config.Role.OPERATOR));
    }

    @Override
    public JsonNode args() {
      return Wire.object();
    }

    @Override
    public void progress(String phase, long done, long total) {}

    @Override
    public void info(String message) {}

    @Override
    public Writer stdout() {
      return new StringWriter();
    }

    @Override
    public boolean clientConnected() {
      return true;
    }
  }
}
