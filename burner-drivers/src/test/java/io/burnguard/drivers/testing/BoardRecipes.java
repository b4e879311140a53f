package io.burnguard.drivers.testing;

import io.burnguard.drivers.BurnJob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Recipes for the QEMU board and a helper to make random images and jobs. */
public final class BoardRecipes {
  /** eMMC-shaped: virtio write at block 0; read back into RAM, then crc32 there. */
  public static final List<String> VIRTIO_WRITE =
      List.of("virtio scan", "virtio write ${loadaddr} 0 ${blocks_hex}");

  public static final List<String> VIRTIO_READBACK =
      List.of("virtio read ${readaddr} 0 ${blocks_hex}", "crc32 ${readaddr} ${size_hex}");

  /** Parallel NOR in the second CFI bank: erase, cp.b, crc32 straight off the flash. */
  public static final List<String> CFI_WRITE =
      List.of(
          "protect off ${flash_offset} +${erase_size}",
          "erase ${flash_offset} +${erase_size}",
          "cp.b ${loadaddr} ${flash_offset} ${size_hex}");

  public static final List<String> CFI_READBACK = List.of("crc32 ${flash_offset} ${size_hex}");

  private BoardRecipes() {}

  public static byte[] randomImage(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  public static BurnJob virtioJob(String name, byte[] image, Map<String, String> fixture)
      throws IOException {
    return BurnJob.of(
        name,
        () -> new ByteArrayInputStream(image),
        fixture,
        VIRTIO_WRITE,
        VIRTIO_READBACK,
        Map.of());
  }
}
