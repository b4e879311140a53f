package io.burnguard.agent.parts;

import java.util.List;

/**
 * What a scan of a part found.
 *
 * @param device the device or image scanned
 * @param rawSha256 the SHA-256 of the whole raw device as streamed to clamd
 * @param fileSystemScanned whether the files were read through the file system (FAT); false for a
 *     file system mtools cannot read (exFAT) or no file system at all
 * @param filesScanned how many files were scanned one by one
 * @param detections what matched, empty when clean
 */
public record PartScanReport(
    String device,
    String rawSha256,
    boolean fileSystemScanned,
    int filesScanned,
    List<Detection> detections) {
  /**
   * One match.
   *
   * @param where "raw device" or the file's path inside the file system
   * @param signature clamd's signature name
   */
  public record Detection(String where, String signature) {}

  public PartScanReport {
    detections = List.copyOf(detections);
  }

  /** Whether nothing matched. */
  public boolean clean() {
    return detections.isEmpty();
  }

  /** One line for the event record. */
  public String summary() {
    StringBuilder sb = new StringBuilder(device);
    sb.append(
        fileSystemScanned
            ? ": " + filesScanned + " file(s) and the raw device"
            : ": raw device only (file system not readable by mtools)");
    if (clean()) {
      return sb.append(", clean").toString();
    }
    for (Detection d : detections) {
      sb.append("; ").append(d.signature()).append(" in ").append(d.where());
    }
    return sb.toString();
  }
}
