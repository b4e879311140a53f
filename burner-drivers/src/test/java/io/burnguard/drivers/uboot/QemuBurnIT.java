package io.burnguard.drivers.uboot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.drivers.BurnOutcome;
import io.burnguard.drivers.BurnerDrivers;
import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.Phase;
import io.burnguard.drivers.ProgressListener;
import io.burnguard.drivers.testing.BoardRecipes;
import io.burnguard.drivers.testing.QemuUBootBoard;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full burns into a real U-Boot (QEMU), checked on the host against the flash file. */
class QemuBurnIT {
  @TempDir Path tmp;

  @Test
  void tftpBurnOf4MiBLeavesTheImageInFlash() throws Exception {
    byte[] image = BoardRecipes.randomImage(4 << 20, 1);
    try (QemuUBootBoard b = QemuUBootBoard.start(tmp, QemuUBootBoard.Options.tftp(8 << 20))) {
      b.powerOn();
      BurnOutcome o =
          BurnerDrivers.named("uboot-tftp", b.environment())
              .burn(
                  BoardRecipes.virtioJob("fw.bin", image, b.fixture()),
                  ProgressListener.NONE,
                  CancellationToken.create());
      assertTrue(o.isPassed(), () -> o + "\n" + b.log());
      assertArrayEquals(image, b.flashBytes(0, image.length));
    }
  }

  @Test
  void serialBurnOf256KiBLeavesTheImageInFlash() throws Exception {
    byte[] image = BoardRecipes.randomImage(256 << 10, 2);
    try (QemuUBootBoard b = QemuUBootBoard.start(tmp, QemuUBootBoard.Options.serial(1 << 20))) {
      b.powerOn();
      BurnOutcome o =
          BurnerDrivers.named("uboot-serial", b.environment())
              .burn(
                  BoardRecipes.virtioJob("fw.bin", image, b.fixture()),
                  ProgressListener.NONE,
                  CancellationToken.create());
      assertTrue(o.isPassed(), () -> o + "\n" + b.log());
      assertEquals(Phase.VERIFY, o.phase());
      assertArrayEquals(image, b.flashBytes(0, image.length));
    }
  }
}
