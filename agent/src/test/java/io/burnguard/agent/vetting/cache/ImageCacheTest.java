package io.burnguard.agent.vetting.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.testing.TestClock;
import io.burnguard.agent.vetting.Manifest;
import io.burnguard.agent.vetting.Reason;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCacheTest {
  @TempDir Path dir;
  TestClock clock = new TestClock(Instant.parse("2026-11-21T10:00:00Z"));
  ImageCache cache;

  @BeforeEach
  void open() throws Exception {
    cache = ImageCache.open(dir.resolve("cache"), dir.resolve("cache.key"), clock);
  }

  static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Manifest manifest(String name, byte[] image) throws Exception {
    return new Manifest(
        name,
        "1.0",
        List.of("IPC-X1"),
        name + ".bin",
        image.length,
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image)),
        Instant.parse("2026-11-20T00:00:00Z"),
        false);
  }

  static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void roundTripsAtChunkEdgesWithPrivateModes() throws Exception {
    for (int n :
        new int[] {0, 1, ChunkedGcm.CHUNK - 1, ChunkedGcm.CHUNK, 3 * ChunkedGcm.CHUNK + 5}) {
      byte[] img = bytes(n, n);
      Manifest m = manifest("img" + n, img);
      Path f = cache.store(m, new ByteArrayInputStream(img));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
      assertFalse(Arrays.equals(img, Files.readAllBytes(f)) && n > 0, "stored in clear");
      assertArrayEquals(img, readAll(cache.openForBurn(m)));
    }
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cache.key"))));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cache"))));
  }

  @Test
  void storeRefusesBytesThatDoNotMatchTheManifest() throws Exception {
    byte[] img = bytes(1000, 1);
    Manifest m = manifest("a", img);
    byte[] evil = img.clone();
    evil[10] ^= 1;
    ReleaseRejectedException e =
        assertThrows(
            ReleaseRejectedException.class, () -> cache.store(m, new ByteArrayInputStream(evil)));
    assertEquals(Reason.IMAGE_DIGEST_MISMATCH, e.reason());
    e =
        assertThrows(
            ReleaseRejectedException.class,
            () -> cache.store(m, new ByteArrayInputStream(Arrays.copyOf(img, 999))));
    assertEquals(Reason.IMAGE_LENGTH_MISMATCH, e.reason());
    try (var s = Files.list(dir.resolve("cache"))) {
      assertEquals(0, s.count(), "no partial file is left behind");
    }
  }

  @Test
  void alteredCiphertextFailsBeforeTheBytesAreHandedOut() throws Exception {
    byte[] img = bytes(2 * ChunkedGcm.CHUNK + 100, 2);
    Manifest m = manifest("a", img);
    Path f = cache.store(m, new ByteArrayInputStream(img));
    byte[] enc = Files.readAllBytes(f);
    enc[enc.length - 50] ^= 1;
    Files.write(f, enc);
    IOException e = assertThrows(IOException.class, () -> readAll(cache.openForBurn(m)));
    assertTrue(e.getMessage().contains("fails authentication"), e.getMessage());
  }

  @Test
  void fileCutAtAChunkBoundaryIsDetected() throws Exception {
    byte[] img = bytes(2 * ChunkedGcm.CHUNK + 100, 3);
    Manifest m = manifest("a", img);
    Path f = cache.store(m, new ByteArrayInputStream(img));
    byte[] enc = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(enc, 12 + 2 * (ChunkedGcm.CHUNK + 16)));
    assertThrows(IOException.class, () -> readAll(cache.openForBurn(m)));
  }

  @Test
  void anotherVettedImageSwappedInIsCaughtByTheDigestReCheck() throws Exception {
    byte[] a = bytes(5000, 4);
    byte[] b = bytes(5000, 5);
    Manifest ma = manifest("a", a);
    Manifest mb = manifest("b", b);
    Path fa = cache.store(ma, new ByteArrayInputStream(a));
    Path fb = cache.store(mb, new ByteArrayInputStream(b));
    Files.copy(fb, fa, StandardCopyOption.REPLACE_EXISTING);
    VettedImageChangedException e =
        assertThrows(VettedImageChangedException.class, () -> readAll(cache.openForBurn(ma)));
    assertEquals(Reason.IMAGE_DIGEST_MISMATCH, e.refusal().reason());
  }

  @Test
  void keyReadableByOthersIsRefused() throws Exception {
    Files.setPosixFilePermissions(
        dir.resolve("cache.key"), PosixFilePermissions.fromString("rw-r--r--"));
    IOException e =
        assertThrows(
            IOException.class,
            () -> ImageCache.open(dir.resolve("cache"), dir.resolve("cache.key"), clock));
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
  }

  @Test
  void purgeRemovesImagesUnusedForTheRetention() throws Exception {
    byte[] a = bytes(100, 6);
    byte[] b = bytes(100, 7);
    Manifest ma = manifest("a", a);
    Manifest mb = manifest("b", b);
    cache.store(ma, new ByteArrayInputStream(a));
    cache.store(mb, new ByteArrayInputStream(b));
    clock.advance(Duration.ofDays(20));
    readAll(cache.openForBurn(mb)); // b used on day 20
    clock.advance(Duration.ofDays(11));
    assertEquals(List.of(cache.fileOf(ma)), cache.purge(Duration.ofDays(30)));
    assertFalse(cache.contains(ma));
    assertTrue(cache.contains(mb));
  }
}
