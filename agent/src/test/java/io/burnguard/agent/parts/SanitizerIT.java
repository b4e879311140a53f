package io.burnguard.agent.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.burnguard.agent.parts.DeviceRefused.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sanitize on real media: image files (any user) and loop devices (root, losetup), with the real
 * mkfs and fsck. Old content is planted as markers in the first, middle and last sector of random
 * data, and searched for afterwards.
 */
class SanitizerIT {
  static final byte[] MARKER = "BURNGUARD-OLD-SECRET-7f3a".getBytes(StandardCharsets.US_ASCII);
  private static final long SIZE = 8L << 20;

  @TempDir Path tmp;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC);
  private final Sanitizer sanitizer = new Sanitizer(clock);

  /** Random data with the marker at the first, middle and last sector. */
  static Path plantedImage(Path file, long size) throws IOException {
    byte[] junk = new byte[1 << 20];
    new Random(15).nextBytes(junk);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long pos = 0; pos < size; pos += junk.length) {
        ch.write(ByteBuffer.wrap(junk, 0, (int) Math.min(junk.length, size - pos)), pos);
      }
      long lastSector = (size - 1) / 512 * 512;
      for (long at : new long[] {0, size / 2, lastSector}) {
        ch.write(ByteBuffer.wrap(MARKER), at);
      }
    }
    assertTrue(Sh.contains(file, MARKER), "marker planted");
    return file;
  }

  private DeviceProbe probe() {
    return new DeviceProbe(Path.of("/sys"), Path.of("/proc/self/mountinfo"), tmp.resolve("data"));
  }

  private SanitizeResult sanitize(Path device, long size, SanitizeOptions opts) throws Exception {
    DeviceInfo d = probe().probe(device);
    probe().requireSafe(d, size, null);
    return sanitizer.sanitize(d, opts, SanitizeProgress.Listener.none());
  }

  @Test
  void anImageFileIsClearedVerifiedAndFormattedFat() throws Exception {
    Path img = plantedImage(tmp.resolve("part.img"), SIZE);
    List<SanitizeProgress> seen = new ArrayList<>();
    DeviceInfo d = probe().probe(img);
    SanitizeResult r =
        sanitizer.sanitize(
            d,
            SanitizeOptions.of(FileSystemType.VFAT, "BGP0001").withChunkBytes(1 << 20),
            seen::add);
    assertFalse(Sh.contains(img, MARKER), "old content survived the sanitize");
    assertEquals(SanitizeMethod.CLEAR, r.method());
    assertEquals(SIZE, r.bytesVerified());
    assertTrue(r.formatTool().startsWith("mkfs.fat"), r.formatTool());
    Sh.ok("fsck.vfat", "-n", img.toString());
    assertTrue(Sh.ok("mdir", "-i", img.toString(), "::").contains("BGP0001"), "label");
    assertTrue(
        seen.stream()
            .anyMatch(
                p ->
                    p.phase() == SanitizeProgress.Phase.VERIFY
                        && p.done() == SIZE
                        && p.bytesPerSecond() > 0),
        seen.toString());
    assertTrue(
        seen.stream()
            .anyMatch(
                p ->
                    p.phase() == SanitizeProgress.Phase.OVERWRITE
                        && p.done() < SIZE
                        && p.eta() != null),
        "ETA while overwriting");
  }

  @Test
  void anOddSizedImageIsClearedToItsLastByteAndFormattedExfat() throws Exception {
    long size = SIZE + 512;
    Path img = plantedImage(tmp.resolve("odd.img"), size);
    SanitizeResult r = sanitize(img, size, SanitizeOptions.of(FileSystemType.EXFAT, "BG-P0002"));
    assertFalse(Sh.contains(img, MARKER), "old content survived the sanitize");
    assertEquals(size, r.bytesVerified());
    Sh.ok("fsck.exfat", "-n", img.toString());
  }

  @Test
  void sampledVerificationReadsTheShareAsked() throws Exception {
    Path img = plantedImage(tmp.resolve("s.img"), SIZE);
    SanitizeResult r =
        sanitize(
            img,
            SIZE,
            SanitizeOptions.of(FileSystemType.VFAT, "BGP0003")
                .withChunkBytes(1 << 20)
                .withVerification(Verification.sample(25)));
    assertEquals(2L << 20, r.bytesVerified(), "25% of 8 chunks of 1 MiB");
    assertTrue(r.verificationText().contains("25%"), r.verificationText());
    assertFalse(Sh.contains(img, MARKER));
  }

  @Test
  void aSanitizeInterruptedMidwayEndsWithoutAResultAndLeavesOldData() throws Exception {
    Path img = plantedImage(tmp.resolve("cut.img"), SIZE);
    DeviceInfo d = probe().probe(img);
    SanitizeOptions opts =
        SanitizeOptions.of(FileSystemType.VFAT, "BGP0004").withChunkBytes(1 << 20);
    SanitizeException e =
        assertThrows(
            SanitizeException.class,
            () ->
                sanitizer.sanitize(
                    d,
                    opts,
                    p -> {
                      if (p.phase() == SanitizeProgress.Phase.OVERWRITE && p.done() >= SIZE / 4) {
                        Thread.currentThread().interrupt(); // as a cancel or shutdown does
                      }
                    }));
    assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    assertEquals(SanitizeException.Reason.INTERRUPTED, e.reason());
    assertTrue(Sh.contains(img, MARKER), "the run stopped before the end");
    assertTrue(Sh.run("fsck.vfat", "-n", img.toString()).exit() != 0, "no file system was made");
  }

  @Test
  void aLoopDeviceIsSanitizedAndMismatchesAreRefused() throws Exception {
    assumeTrue(Sh.isRoot(), "loop devices need root (losetup)");
    Path img = plantedImage(tmp.resolve("loop.img"), SIZE);
    try (Sh.Loop loop = new Sh.Loop(img)) {
      DeviceInfo d = probe().probe(loop.device);
      assertEquals(DeviceKind.LOOP_DEVICE, d.kind());
      assertEquals(SIZE, d.sizeBytes());
      assertEquals(
          Reason.SIZE_MISMATCH,
          assertThrows(DeviceRefused.class, () -> probe().requireSafe(d, SIZE + 512, null))
              .reason());
      assertEquals(
          Reason.SERIAL_MISMATCH,
          assertThrows(DeviceRefused.class, () -> probe().requireSafe(d, SIZE, "AA0123")).reason());
      SanitizeResult r =
          sanitize(loop.device, SIZE, SanitizeOptions.of(FileSystemType.VFAT, "BGP0005"));
      assertEquals(SanitizeMethod.CLEAR, r.method(), "loop devices offer no secure discard");
      assertTrue(r.directIo(), "a block device is written with O_DIRECT");
      Sh.ok("fsck.vfat", "-n", loop.device.toString());
      DeviceRefused held =
          assertThrows(
              DeviceRefused.class, () -> probe().requireSafe(probe().probe(img), SIZE, null));
      assertEquals(Reason.HELD, held.reason(), "the image is in use through the loop device");
    }
    assertFalse(Sh.contains(img, MARKER), "old content survived the sanitize");
  }

  @Test
  void aMountedLoopDeviceIsRefused() throws Exception {
    assumeTrue(Sh.isRoot(), "mounting needs root");
    Path img = tmp.resolve("mounted.img");
    Files.write(img, new byte[(int) SIZE]);
    Path mnt = Files.createDirectories(tmp.resolve("mnt"));
    try (Sh.Loop loop = new Sh.Loop(img)) {
      Sh.ok("mkfs.ext4", "-q", loop.device.toString());
      Sh.ok("mount", loop.device.toString(), mnt.toString());
      try {
        DeviceInfo d = probe().probe(loop.device);
        DeviceRefused e =
            assertThrows(DeviceRefused.class, () -> probe().requireSafe(d, SIZE, null));
        assertEquals(Reason.MOUNTED, e.reason());
        assertTrue(e.getMessage().contains(mnt.toString()), e.getMessage());
      } finally {
        Sh.ok("umount", mnt.toString());
      }
    }
  }

  @Test
  void theSystemDiskIsRefused() throws Exception {
    String majMin = Sh.ok("findmnt", "-n", "-o", "MAJ:MIN", "/").strip();
    Path sys = Path.of("/sys/dev/block", majMin);
    assumeTrue(
        Files.exists(sys), "the root file system is on no block device here (" + majMin + ")");
    Path node = Path.of("/dev", sys.toRealPath().getFileName().toString());
    DeviceInfo d = probe().probe(node);
    DeviceRefused e =
        assertThrows(DeviceRefused.class, () -> probe().requireSafe(d, d.sizeBytes(), d.serial()));
    assertTrue(e.reason() == Reason.SYSTEM_DISK || e.reason() == Reason.PARTITION, e.getMessage());
    if (d.kind() == DeviceKind.PARTITION) {
      DeviceInfo disk = probe().probe(Path.of("/dev", d.disk()));
      assertEquals(
          Reason.SYSTEM_DISK,
          assertThrows(
                  DeviceRefused.class,
                  () -> probe().requireSafe(disk, disk.sizeBytes(), disk.serial()))
              .reason());
    }
  }

  @Test
  void aNodeIsKnownByItsDeviceNumberNotItsName() throws Exception {
    assumeTrue(Sh.isRoot(), "mknod and losetup need root");
    Path img = tmp.resolve("n.img");
    Files.write(img, new byte[1 << 20]);
    try (Sh.Loop loop = new Sh.Loop(img)) {
      String majMin =
          Files.readString(Path.of("/sys/class/block", loop.device.getFileName().toString(), "dev"))
              .strip();
      String[] mm = majMin.split(":");
      Path fake = tmp.resolve("sdz");
      Sh.ok("mknod", fake.toString(), "b", mm[0], mm[1]);
      DeviceInfo d = probe().probe(fake);
      assertEquals(loop.device.getFileName().toString(), d.name(), "named after its numbers");
      assertEquals(DeviceKind.LOOP_DEVICE, d.kind());
    }
    DeviceRefused e = assertThrows(DeviceRefused.class, () -> probe().probe(Path.of("/dev/null")));
    assertEquals(Reason.NOT_A_DEVICE, e.reason());
  }
}
