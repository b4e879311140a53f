package io.burnguard.agent.parts;

import java.util.List;

/**
 * What a scan of a part found.
 *
 * @param device the device or image scanned
 * @param rawSha256 the SHA-256 of the whole raw device as streamed to clamd
 * @param fileSystem the file system whose files were read one by one ({@code FAT}, {@code exFAT}),
 *     or null when none was recognised (unformatted, or another kind): the raw scan only
 * @param filesScanned how many files were scanned one by one
 * @param detections what matched, empty when clean
 */
public record PartScanReport(
    String device,
    String rawSha256,
    String fileSystem,
    int filesScanned,
    List<Detection> detections) {
  /**
   * One match.
   *
   * @param where "raw device" or the file's path inside the file system (control characters
   *     escaped)
   * @param signature clamd's signature name
   */
  public record Detection(String where, String signature) {
    /** File names come from the part's file system: hostile text, escaped and bounded here. */
    public Detection {
      where = io.burnguard.config.UntrustedText.neutralize(where, 512);
    }
  }

  public PartScanReport {
    detections = List.copyOf(detections);
  }

  /** Whether the files were read through the file system. */
  public boolean fileSystemScanned() {
    return fileSystem != null;
  }

  /** Whether nothing matched. */
  public boolean clean() {
    return detections.isEmpty();
  }

  /** One line for the event record. */
  public String summary() {
    StringBuilder sb = new StringBuilder(device);
    sb.append(
        fileSystemScanned()
            ? ": " + filesScanned + " file(s) (" + fileSystem + ") and the raw device"
            : ": raw device only (no FAT or exFAT file system found)");
    if (clean()) {
      return sb.append(", clean").toString();
    }
    for (Detection d : detections) {
      sb.append("; ").append(d.signature()).append(" in ").append(d.where());
    }
    return sb.toString();
  }
}
