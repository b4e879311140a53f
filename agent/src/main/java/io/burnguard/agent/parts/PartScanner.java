package io.burnguard.agent.parts;

import io.burnguard.agent.scan.MediaScanner;
import io.burnguard.agent.scan.ScanException;
import io.burnguard.agent.scan.ScanVerdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans a key part in two ways, both through the station's clamd (issue 15, "Scan"):
 *
 * <ul>
 *   <li><b>The raw device</b>, every byte streamed: finds data hidden outside the file system (in
 *       unallocated space, after its end, in slack).
 *   <li><b>Every file through the file system</b>: a fragmented file is not contiguous on the
 *       device and a compressed one (zip) is not visible in the raw bytes, so each file is read as
 *       the file system assembles it and scanned whole, where clamd unpacks archives. Mounting is
 *       not allowed (a hostile file system is a kernel attack surface), so FAT is read in user
 *       space with mtools' {@code mcopy} into a private temporary directory, deleted afterwards,
 *       and exFAT with The Sleuth Kit ({@link ExfatFiles}), each file streamed to clamd.
 * </ul>
 *
 * <p>Fails closed: a scan that cannot complete (clamd down, stale signatures, unreadable device)
 * throws; only detections are collected and returned, so every match is reported, not just the
 * first.
 */
public final class PartScanner {
  private static final Logger log = LoggerFactory.getLogger(PartScanner.class);
  private static final long MCOPY_MINUTES = 30;

  private final MediaScanner media;
  private final Path workDir;

  /**
   * @param workDir where files are extracted for scanning (inside the data directory, never a
   *     world-writable place)
   */
  public PartScanner(MediaScanner media, Path workDir) {
    this.media = media;
    this.workDir = workDir;
  }

  /** Scans the raw device and, for FAT and exFAT, every file in it. */
  public PartScanReport scan(Path device, MediaScanner.Progress progress) throws ScanException {
    List<PartScanReport.Detection> found = new ArrayList<>();
    String sha256 = scanOne(device, "raw device", progress, found);
    if (isExfat(device)) {
      return exfat(device, sha256, found);
    }
    Path dir = null;
    try {
      dir =
          Files.createTempDirectory(
              workDir,
              "part-scan",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      if (!extract(device, dir)) {
        return new PartScanReport(device.toString(), sha256, null, 0, found);
      }
      List<Path> files;
      try (Stream<Path> s = Files.walk(dir)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        scanOne(f, "/" + dir.relativize(f), (d, t) -> {}, found);
      }
      return new PartScanReport(device.toString(), sha256, "FAT", files.size(), found);
    } catch (IOException e) {
      throw new ScanException(
          ScanException.Reason.SOURCE_UNREADABLE,
          "cannot read the file system of " + device + ": " + e);
    } finally {
      delete(dir);
    }
  }

  /**
   * exFAT: each file streamed from The Sleuth Kit's {@code icat} straight to clamd; nothing is
   * written to disk ({@link ExfatFiles}).
   */
  private PartScanReport exfat(Path device, String sha256, List<PartScanReport.Detection> found)
      throws ScanException {
    List<ExfatFiles.Entry> files = ExfatFiles.list(device);
    for (ExfatFiles.Entry e : files) {
      try (InputStream in = ExfatFiles.open(device, e)) {
        media.scan(in, device + ":" + e.path());
      } catch (ScanException x) {
        if (x.reason() != ScanException.Reason.MALWARE_FOUND) {
          throw x;
        }
        found.add(new PartScanReport.Detection(e.path(), x.signature()));
      } catch (IOException x) {
        throw new ScanException(
            ScanException.Reason.SOURCE_UNREADABLE,
            "cannot read " + e.path() + " on " + device + ": " + x.getMessage());
      }
    }
    return new PartScanReport(device.toString(), sha256, "exFAT", files.size(), found);
  }

  private static boolean isExfat(Path device) throws ScanException {
    try {
      return ExfatFiles.isExfat(device);
    } catch (IOException e) {
      throw new ScanException(
          ScanException.Reason.SOURCE_UNREADABLE, "cannot read the boot sector of " + device);
    }
  }

  private String scanOne(
      Path p, String where, MediaScanner.Progress progress, List<PartScanReport.Detection> found)
      throws ScanException {
    try {
      ScanVerdict v = media.scan(p, progress);
      return v.imageSha256();
    } catch (ScanException e) {
      if (e.reason() != ScanException.Reason.MALWARE_FOUND) {
        throw e;
      }
      found.add(new PartScanReport.Detection(where, e.signature()));
      return null;
    }
  }

  /**
   * Copies every file out with {@code mcopy -s}; false if mtools finds no FAT file system (exFAT,
   * unformatted), which leaves the raw scan as the only one.
   */
  private static boolean extract(Path device, Path dir) throws IOException, ScanException {
    ProcessBuilder pb =
        new ProcessBuilder("/usr/bin/mcopy", "-s", "-n", "-i", device.toString(), "::/", dir + "/")
            .redirectErrorStream(true);
    pb.environment().put("MTOOLS_SKIP_CHECK", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readNBytes(8192), StandardCharsets.UTF_8);
      in.transferTo(java.io.OutputStream.nullOutputStream());
      if (!p.waitFor(MCOPY_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new ScanException(
            ScanException.Reason.SOURCE_UNREADABLE,
            "mcopy did not finish reading " + device + " in " + MCOPY_MINUTES + " min");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ScanException(
          ScanException.Reason.SOURCE_UNREADABLE, "interrupted reading " + device);
    }
    if (p.exitValue() != 0) {
      if (out.contains("non DOS media") || out.contains("Cannot initialize")) {
        log.info("{}: no FAT file system ({}); raw scan only", device, out.strip());
        return false;
      }
      throw new ScanException(
          ScanException.Reason.SOURCE_UNREADABLE,
          "mcopy could not read every file of " + device + ": " + out.strip());
    }
    return true;
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("could not delete the scan directory {}: {}", dir, e.toString());
    }
  }
}
