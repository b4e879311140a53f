package io.burnguard.agent.burn;

import io.burnguard.agent.control.OperationException;
import io.burnguard.config.StationConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One burn per fixture at a time; fixtures burn in parallel. A second burn on a busy fixture is
 * refused at once rather than queued: the operator would otherwise scan the next unit while the
 * fixture still holds the previous one.
 *
 * <p>A burn holds its fixture's id and its port. The locks outlive configuration reloads (every
 * generation's pipeline shares one instance, {@link BurnPipeline#reconfigured}), so a burn started
 * under the old station.yaml and a new one under the reloaded file never run on the same fixture at
 * once, even when the reload renamed the fixture or moved another fixture onto its port.
 */
final class FixtureLocks {
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  /** The fixture, held until {@link Held#close}. */
  final class Held implements AutoCloseable {
    private final ReentrantLock id;
    private final ReentrantLock port;

    private Held(ReentrantLock id, ReentrantLock port) {
      this.id = id;
      this.port = port;
    }

    @Override
    public void close() {
      port.unlock();
      id.unlock();
    }
  }

  /** Takes the fixture and its port, or refuses (exit 4) while another burn holds either. */
  Held hold(StationConfig.Fixture fx) throws OperationException {
    ReentrantLock id = locks.computeIfAbsent("fixture " + fx.id(), k -> new ReentrantLock());
    if (!id.tryLock()) {
      throw BurnMessages.fixtureBusy(fx);
    }
    ReentrantLock port = locks.computeIfAbsent("port " + fx.port(), k -> new ReentrantLock());
    if (!port.tryLock()) {
      id.unlock();
      throw BurnMessages.portBusy(fx);
    }
    return new Held(id, port);
  }
}
