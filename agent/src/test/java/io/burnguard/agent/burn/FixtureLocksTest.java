package io.burnguard.agent.burn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.OperationException;
import io.burnguard.config.StationConfig;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One burn per fixture; fixtures independent. */
class FixtureLocksTest {
  private static StationConfig.Fixture fixture(String id) {
    return fixture(id, "/dev/ttyUSB-" + id);
  }

  private static StationConfig.Fixture fixture(String id, String port) {
    return new StationConfig.Fixture(id, "uboot-tftp", port, "IPC-X1", Map.of());
  }

  private final FixtureLocks locks = new FixtureLocks();

  /** Tries the fixture on another thread (a lock held by this thread would re-enter). */
  private OperationException refusalElsewhere(StationConfig.Fixture fx) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> {
              try (FixtureLocks.Held h = locks.hold(fx)) {
                return null;
              } catch (OperationException e) {
                return e;
              }
            })
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void aBusyFixtureIsRefusedWithWhatToDo() throws Exception {
    try (FixtureLocks.Held h = locks.hold(fixture("fx1"))) {
      OperationException e = refusalElsewhere(fixture("fx1"));
      assertEquals(ExitCode.DEVICE, e.exit());
      assertTrue(e.getMessage().startsWith("fixture fx1 is busy"), e.getMessage());
      assertTrue(e.getMessage().contains("scan this unit again"), e.getMessage());
    }
  }

  @Test
  void otherFixturesBurnInParallelAndAReleasedFixtureIsFree() throws Exception {
    try (FixtureLocks.Held h = locks.hold(fixture("fx1"))) {
      assertEquals(null, refusalElsewhere(fixture("fx2")));
    }
    assertEquals(null, refusalElsewhere(fixture("fx1")));
  }

  @Test
  void aFixtureRenamedByAReloadCannotBurnOnAPortStillInUse() throws Exception {
    try (FixtureLocks.Held h = locks.hold(fixture("fx1", "/dev/ttyS1"))) {
      OperationException e = refusalElsewhere(fixture("fx9", "/dev/ttyS1"));
      assertEquals(ExitCode.DEVICE, e.exit());
      assertTrue(e.getMessage().contains("its port /dev/ttyS1 is in use"), e.getMessage());
    }
    assertEquals(null, refusalElsewhere(fixture("fx9", "/dev/ttyS1")));
    // a refusal on the port released the id it had taken
    assertEquals(null, refusalElsewhere(fixture("fx9", "/dev/ttyS2")));
  }
}
