package io.burnguard.agent.burn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.scan.ImageScanner.ImageSource;
import io.burnguard.agent.vetting.Manifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-image CRC32 memo the device's read-back is compared with. */
class Crc32CacheTest {
  /** CRC-32 (ISO-HDLC) check value of "123456789", from the CRC catalogue. */
  private static final long CHECK_123456789 = 0xCBF43926L;

  private static final byte[] IMAGE =
      "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final AtomicInteger opens = new AtomicInteger();

  private ImageSource source(byte[] bytes) {
    return () -> {
      opens.incrementAndGet();
      return new ByteArrayInputStream(bytes);
    };
  }

  private static Manifest manifest(byte[] image, long length) throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
    return new Manifest(
        "ipc-x1-main",
        "5.4.1",
        List.of("IPC-X1"),
        "ipc-x1-main.bin",
        length,
        sha,
        Instant.parse("2026-11-21T08:00:00Z"),
        false);
  }

  @Test
  void computesThePublishedCheckValueOnceAndRemembersIt() throws Exception {
    Crc32Cache cache = new Crc32Cache();
    Manifest m = manifest(IMAGE, IMAGE.length);

    assertEquals(CHECK_123456789, cache.of(m, source(IMAGE)));
    assertEquals(CHECK_123456789, cache.of(m, source(IMAGE)));

    assertEquals(1, opens.get(), "the image is read once per SHA-256");
  }

  @Test
  void aLengthOtherThanTheManifestsIsRefusedAndNotRemembered() throws Exception {
    Crc32Cache cache = new Crc32Cache();
    Manifest m = manifest(IMAGE, IMAGE.length + 1);

    IOException e = assertThrows(IOException.class, () -> cache.of(m, source(IMAGE)));
    assertTrue(e.getMessage().contains("has 9 bytes, the manifest says 10"), e.getMessage());
    assertThrows(IOException.class, () -> cache.of(m, source(IMAGE)));
    assertEquals(2, opens.get(), "a failed computation is not cached");
  }
}
