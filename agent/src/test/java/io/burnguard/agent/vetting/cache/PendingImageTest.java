package io.burnguard.agent.vetting.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.vetting.Manifest;
import io.burnguard.agent.vetting.Reason;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one-pass cache write: encrypt as bytes arrive, resume by whole chunks, publish by rename. */
class PendingImageTest {
  @TempDir Path dir;
  ImageCache cache;
  Path part;

  @BeforeEach
  void open() throws Exception {
    cache =
        ImageCache.open(
            dir.resolve("cache"),
            dir.resolve("cache.key"),
            Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC));
    part = dir.resolve("image.part");
  }

  /** Feeds {@code img[from, to)} in uneven slices, as network reads arrive. */
  static void feed(PendingImage p, byte[] img, int from, int to) throws IOException {
    int step = 7919;
    for (int i = from; i < to; i += step) {
      p.append(img, i, Math.min(step, to - i));
    }
  }

  static byte[] replayed(PendingImage p) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.replay(out::write);
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, ChunkedGcm.CHUNK - 1, ChunkedGcm.CHUNK, 3 * ChunkedGcm.CHUNK + 5})
  void anImageWrittenInOnePassIsPublishedEncryptedAndReadsBack(int n) throws Exception {
    byte[] img = ImageCacheTest.bytes(n, n);
    Manifest m = ImageCacheTest.manifest("one" + n, img);
    Path f;
    try (PendingImage p = cache.begin(m, part)) {
      assertEquals(0, p.held());
      feed(p, img, 0, n);
      p.verifyAndSync();
      assertFalse(cache.contains(m), "nothing is visible before publish");
      f = p.publish();
    }
    assertEquals(ChunkedGcm.encryptedSize(n), Files.size(f));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertFalse(Files.exists(part), "the part file became the cache file");
    try (InputStream in = cache.openForBurn(m)) {
      assertArrayEquals(img, in.readAllBytes());
    }
  }

  @Test
  void aCutDownloadResumesFromItsLastWholeChunkAndReplaysIt() throws Exception {
    byte[] img = ImageCacheTest.bytes(5 * ChunkedGcm.CHUNK + 123, 5);
    Manifest m = ImageCacheTest.manifest("cut", img);
    int cut = 2 * ChunkedGcm.CHUNK + 4000;
    try (PendingImage p = cache.begin(m, part)) {
      p.held();
      feed(p, img, 0, cut);
      p.sync();
    }
    try (PendingImage p = cache.begin(m, part)) {
      long held = p.held();
      assertEquals(2L * ChunkedGcm.CHUNK, held, "the half chunk is dropped");
      byte[] prefix = replayed(p);
      assertArrayEquals(java.util.Arrays.copyOf(img, (int) held), prefix);
      feed(p, img, (int) held, img.length);
      p.verifyAndSync();
      p.publish();
    }
    try (InputStream in = cache.openForBurn(m)) {
      assertArrayEquals(img, in.readAllBytes());
    }
  }

  @Test
  void aTamperedPartFileIsDiscardedNotTrusted() throws Exception {
    byte[] img = ImageCacheTest.bytes(3 * ChunkedGcm.CHUNK, 9);
    Manifest m = ImageCacheTest.manifest("tamper", img);
    try (PendingImage p = cache.begin(m, part)) {
      p.held();
      feed(p, img, 0, 2 * ChunkedGcm.CHUNK);
      p.sync();
    }
    try (RandomAccessFile raf = new RandomAccessFile(part.toFile(), "rw")) {
      raf.seek(ChunkedGcm.HEADER + 100);
      raf.write(raf.read() ^ 1);
    }
    try (PendingImage p = cache.begin(m, part)) {
      assertEquals(2L * ChunkedGcm.CHUNK, p.held());
      IOException e = assertThrows(IOException.class, () -> replayed(p));
      assertTrue(e.getMessage().contains("fails authentication at chunk 0"), e.getMessage());
      assertEquals(0, p.held(), "discarded: the next attempt starts from zero");
    }
  }

  @Test
  void aWrongDigestIsRefusedAndThePartFileDeleted() throws Exception {
    byte[] img = ImageCacheTest.bytes(ChunkedGcm.CHUNK + 10, 3);
    Manifest m = ImageCacheTest.manifest("evil", img);
    byte[] evil = img.clone();
    evil[5] ^= 1;
    try (PendingImage p = cache.begin(m, part)) {
      p.held();
      feed(p, evil, 0, evil.length);
      ReleaseRejectedException e = assertThrows(ReleaseRejectedException.class, p::verifyAndSync);
      assertEquals(Reason.IMAGE_DIGEST_MISMATCH, e.reason());
    }
    assertFalse(Files.exists(part));
    assertFalse(cache.contains(m));
  }

  @Test
  void moreBytesThanTheManifestSaysAreRefused() throws Exception {
    byte[] img = ImageCacheTest.bytes(1000, 4);
    Manifest m = ImageCacheTest.manifest("long", img);
    try (PendingImage p = cache.begin(m, part)) {
      p.held();
      feed(p, img, 0, img.length);
      assertThrows(IOException.class, () -> p.append(new byte[1], 0, 1));
    }
  }

  @Test
  void anOldPlainPartFileIsReplacedByAnEncryptedOne() throws Exception {
    byte[] img = ImageCacheTest.bytes(2 * ChunkedGcm.CHUNK, 8);
    Manifest m = ImageCacheTest.manifest("legacy", img);
    Files.write(part, java.util.Arrays.copyOf(img, ChunkedGcm.CHUNK));
    try (PendingImage p = cache.begin(m, part)) {
      assertEquals(0, p.held(), "plain bytes of an older version are not trusted");
    }
  }
}
