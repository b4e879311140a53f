package io.burnguard.drivers.uboot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.drivers.BurnOutcome;
import io.burnguard.drivers.BurnerDrivers;
import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.ProgressListener;
import io.burnguard.drivers.testing.BoardRecipes;
import io.burnguard.drivers.testing.QemuUBootBoard;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two boards burned at once with different images: neither sees the other's. */
class ParallelBoardsIT {
  @TempDir Path tmp;

  @Test
  void twoBoardsBurnInParallelWithoutInterfering() throws Exception {
    byte[] one = BoardRecipes.randomImage(2 << 20, 11);
    byte[] two = BoardRecipes.randomImage(2 << 20, 12);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (QemuUBootBoard a = QemuUBootBoard.start(tmp, QemuUBootBoard.Options.tftp(4 << 20));
        QemuUBootBoard b = QemuUBootBoard.start(tmp, QemuUBootBoard.Options.tftp(4 << 20))) {
      a.powerOn();
      b.powerOn();
      Future<BurnOutcome> fa = pool.submit(() -> burn(a, one));
      Future<BurnOutcome> fb = pool.submit(() -> burn(b, two));
      BurnOutcome oa = fa.get(120, TimeUnit.SECONDS);
      BurnOutcome ob = fb.get(120, TimeUnit.SECONDS);
      assertTrue(oa.isPassed(), oa::toString);
      assertTrue(ob.isPassed(), ob::toString);
      assertArrayEquals(one, a.flashBytes(0, one.length));
      assertArrayEquals(two, b.flashBytes(0, two.length));
    } finally {
      pool.shutdownNow();
    }
  }

  private static BurnOutcome burn(QemuUBootBoard board, byte[] image) throws Exception {
    return BurnerDrivers.named("uboot-tftp", board.environment())
        .burn(
            BoardRecipes.virtioJob("fw.bin", image, board.fixture()),
            ProgressListener.NONE,
            CancellationToken.create());
  }
}
