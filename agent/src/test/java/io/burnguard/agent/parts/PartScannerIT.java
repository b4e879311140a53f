package io.burnguard.agent.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.burnguard.agent.scan.ClamdClient;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.scan.MediaScanner;
import io.burnguard.agent.scan.ScanAlerts;
import io.burnguard.agent.scan.ScanPolicy;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scanning parts against a real clamd (the EICAR fixture): a file planted with mtools, the same
 * inside a compressed zip, and EICAR in space outside the file system; exFAT files read with The
 * Sleuth Kit, and a damaged exFAT refused rather than called clean.
 */
class PartScannerIT {
  private static ClamdFixture clamd;
  private static final byte[] EICAR = ClamdFixture.EICAR.getBytes(StandardCharsets.US_ASCII);

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    clamd = ClamdFixture.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (clamd != null) {
      clamd.close();
    }
  }

  private PartScanReport scan(Path device) throws Exception {
    MediaScanner media =
        new MediaScanner(
            new ClamdClient(clamd.settings(clamd.unixAddress())),
            ScanPolicy.defaults(),
            Clock.systemUTC(),
            ScanAlerts.none());
    Path work = Files.createDirectories(tmp.resolve("work"));
    PartScanReport r = new PartScanner(media, work).scan(device, (d, t) -> {});
    try (var s = Files.list(work)) {
      assertEquals(0, s.count(), "extracted files are deleted after the scan");
    }
    return r;
  }

  private Path fat(String name) throws Exception {
    Path img = tmp.resolve(name);
    try (FileChannel ch =
        FileChannel.open(img, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(1), (4L << 20) - 1);
    }
    Sh.ok("mkfs.vfat", img.toString());
    return img;
  }

  private void put(Path img, Path file, String target) throws Exception {
    Sh.ok("mcopy", "-i", img.toString(), file.toString(), target);
  }

  @Test
  void aCleanFatPartIsCleanWithEveryFileCounted() throws Exception {
    Path img = fat("clean.img");
    Path f = Files.writeString(tmp.resolve("readme.txt"), "calibration data\n");
    Sh.ok("mmd", "-i", img.toString(), "::/cfg");
    put(img, f, "::/cfg/readme.txt");
    put(img, f, "::/top.txt");
    PartScanReport r = scan(img);
    assertTrue(r.clean(), r.summary());
    assertEquals("FAT", r.fileSystem(), r.summary());
    assertEquals(2, r.filesScanned());
    assertEquals(64, r.rawSha256().length());
  }

  @Test
  void eicarAsAFileIsFoundByItsPathInTheFileSystem() throws Exception {
    Path img = fat("file.img");
    Path f = Files.write(tmp.resolve("eicar.com"), EICAR);
    Sh.ok("mmd", "-i", img.toString(), "::/tools");
    put(img, f, "::/tools/eicar.com");
    PartScanReport r = scan(img);
    assertFalse(r.clean());
    assertTrue(
        r.detections()
            .contains(
                new PartScanReport.Detection("/tools/eicar.com", ClamdFixture.EICAR_SIGNATURE)),
        r.detections().toString());
  }

  @Test
  void eicarInsideACompressedZipIsFound() throws Exception {
    Path img = fat("zip.img");
    // EICAR followed by compressible padding, so deflate encodes it and the raw bytes no longer
    // hold the plain string: only the file-level scan (clamd unpacking the zip) can see it.
    byte[] body = new byte[EICAR.length + 64 * 1024];
    System.arraycopy(EICAR, 0, body, 0, EICAR.length);
    java.util.Arrays.fill(body, EICAR.length, body.length, (byte) ' ');
    Path payload = Files.write(tmp.resolve("payload.txt"), body);
    Sh.ok("zip", "-9", "-j", tmp.resolve("bundle.zip").toString(), payload.toString());
    assertFalse(Sh.contains(tmp.resolve("bundle.zip"), EICAR), "zip must compress the string");
    put(img, tmp.resolve("bundle.zip"), "::/bundle.zip");
    assertFalse(Sh.contains(img, EICAR), "the raw image must not show the plain string");
    PartScanReport r = scan(img);
    assertEquals(
        List.of(new PartScanReport.Detection("/bundle.zip", ClamdFixture.EICAR_SIGNATURE)),
        r.detections().stream().filter(d -> d.where().equals("/bundle.zip")).toList(),
        r.summary());
  }

  @Test
  void eicarOutsideTheFileSystemIsFoundInTheRawDevice() throws Exception {
    Path img = tmp.resolve("hidden.img");
    try (FileChannel ch =
        FileChannel.open(img, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(1), (4L << 20) - 1);
    }
    Sh.ok("mkfs.vfat", img.toString(), "2048"); // the file system covers the first 2 MiB
    try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(EICAR), 3L << 20);
    }
    PartScanReport r = scan(img);
    assertTrue(r.fileSystemScanned());
    assertEquals(0, r.filesScanned());
    assertEquals(
        List.of(new PartScanReport.Detection("raw device", ClamdFixture.EICAR_SIGNATURE)),
        r.detections());
  }

  private Path blank(String name, long size) throws Exception {
    Path img = tmp.resolve(name);
    try (FileChannel ch =
        FileChannel.open(img, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(1), size - 1);
    }
    return img;
  }

  /**
   * An exFAT image holding {@code files} (path -> content). This kernel has no exFAT driver, so the
   * files are written through exfat-fuse on a loop device (root); the scanner itself never mounts.
   */
  private Path exfat(String name, java.util.Map<String, byte[]> files) throws Exception {
    Path img = blank(name, 16L << 20);
    Sh.ok("mkfs.exfat", "-L", "PARTTEST", img.toString());
    Path mnt = Files.createDirectories(tmp.resolve(name + ".mnt"));
    try (Sh.Loop loop = new Sh.Loop(img)) {
      Sh.ok("mount.exfat-fuse", loop.device.toString(), mnt.toString());
      try {
        for (var e : files.entrySet()) {
          Path f = mnt.resolve(e.getKey());
          Files.createDirectories(f.getParent());
          Files.write(f, e.getValue());
        }
      } finally {
        Sh.ok("umount", mnt.toString());
      }
    }
    return img;
  }

  @Test
  void anEmptyExfatPartIsReadThroughItsFileSystemAndClean() throws Exception {
    Path img = blank("x.img", 8L << 20);
    Sh.ok("mkfs.exfat", img.toString());
    PartScanReport r = scan(img);
    assertTrue(r.clean(), r.summary());
    assertEquals("exFAT", r.fileSystem(), r.summary());
    assertTrue(r.summary().contains("(exFAT) and the raw device"), r.summary());
  }

  @Test
  void eicarInAnExfatFileAndInsideAZipIsFoundByItsPath() throws Exception {
    assumeTrue(Sh.isRoot(), "writing files into exFAT needs a loop device and a FUSE mount");
    byte[] body = new byte[EICAR.length + 64 * 1024];
    System.arraycopy(EICAR, 0, body, 0, EICAR.length);
    java.util.Arrays.fill(body, EICAR.length, body.length, (byte) ' ');
    Path payload = Files.write(tmp.resolve("payload.txt"), body);
    Sh.ok("zip", "-9", "-j", tmp.resolve("bundle.zip").toString(), payload.toString());
    java.util.Map<String, byte[]> files = new java.util.TreeMap<>();
    files.put("cfg/readme.txt", "calibration data\n".getBytes(StandardCharsets.US_ASCII));
    files.put("tools/deep/eicar.com", EICAR);
    files.put("bundle.zip", Files.readAllBytes(tmp.resolve("bundle.zip")));
    Path img = exfat("files.img", files);
    assertFalse(Sh.contains(tmp.resolve("bundle.zip"), EICAR), "zip must compress the string");
    PartScanReport r = scan(img);
    assertEquals("exFAT", r.fileSystem(), r.summary());
    assertTrue(r.filesScanned() >= 3, r.summary());
    List<String> where = r.detections().stream().map(PartScanReport.Detection::where).toList();
    assertTrue(where.contains("/tools/deep/eicar.com"), r.summary());
    assertTrue(where.contains("/bundle.zip"), r.summary());
    assertFalse(where.contains("/cfg/readme.txt"), r.summary());
    assertTrue(
        r.detections().stream().allMatch(d -> d.signature().equals(ClamdFixture.EICAR_SIGNATURE)),
        r.summary());
  }

  @Test
  void aDamagedExfatFileSystemIsNotCalledClean() throws Exception {
    Path img = blank("bad.img", 8L << 20);
    Sh.ok("mkfs.exfat", img.toString());
    try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
      byte[] junk = new byte[16];
      java.util.Arrays.fill(junk, (byte) 0xff);
      ch.write(ByteBuffer.wrap(junk), 80); // FAT offset and length, cluster heap: nonsense
    }
    io.burnguard.agent.scan.ScanException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.burnguard.agent.scan.ScanException.class, () -> scan(img));
    assertEquals(io.burnguard.agent.scan.ScanException.Reason.SOURCE_UNREADABLE, e.reason());
    assertTrue(e.getMessage().contains("fls exited with 1"), e.getMessage());
  }
}
