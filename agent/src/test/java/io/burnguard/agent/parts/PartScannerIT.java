package io.burnguard.agent.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * inside a compressed zip, and EICAR in space outside the file system.
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
    assertTrue(r.fileSystemScanned());
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

  @Test
  void anExfatPartIsScannedRawAndSaysSo() throws Exception {
    Path img = tmp.resolve("x.img");
    try (FileChannel ch =
        FileChannel.open(img, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(1), (8L << 20) - 1);
    }
    Sh.ok("mkfs.exfat", img.toString());
    PartScanReport r = scan(img);
    assertFalse(r.fileSystemScanned());
    assertTrue(r.summary().contains("raw device only"), r.summary());
  }
}
