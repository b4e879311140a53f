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
 */
final class FixtureLocks {
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  /** The fixture, held until {@link Held#close}. */
  final class Held implements AutoCloseable {
    private final ReentrantLock lock;

    private Held(ReentrantLock lock) {
      this.lock = lock;
    }

    @Override
    public void close() {
      lock.unlock();
    }
  }

  /** Takes the fixture, or refuses (exit 4) while another burn holds it. */
  Held hold(StationConfig.Fixture fx) throws OperationException {
    ReentrantLock lock = locks.computeIfAbsent(fx.id(), k -> new ReentrantLock());
    if (!lock.tryLock()) {
      throw BurnMessages.fixtureBusy(fx);
    }
    return new Held(lock);
  }
}
