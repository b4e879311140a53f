package io.burnguard.agent.parts;

import java.util.regex.Pattern;

/**
 * How a part is sanitized and formatted.
 *
 * @param fileSystem the file system created afterwards
 * @param label the volume label (carrying the part id), at most 11 characters of {@code A-Z 0-9 _
 *     -}: the FAT limit, which exFAT labels also respect here so every host shows the same label
 * @param verification how the overwrite is read back
 * @param allowPurge whether a Purge (BLKSECDISCARD) is tried before falling back to Clear
 * @param chunkBytes the size of each write and read, a multiple of 4096 (default 4 MiB)
 */
public record SanitizeOptions(
    FileSystemType fileSystem,
    String label,
    Verification verification,
    boolean allowPurge,
    int chunkBytes) {
  /** Default I/O size: as large as {@code dd bs=4M}, small enough to keep memory flat. */
  public static final int DEFAULT_CHUNK = 4 << 20;

  /** The alignment O_DIRECT needs on every block device and file system we meet. */
  static final int ALIGN = 4096;

  private static final Pattern LABEL = Pattern.compile("[A-Z0-9_-]{1,11}");

  public SanitizeOptions {
    if (fileSystem == null || verification == null) {
      throw new IllegalArgumentException("file system and verification are required");
    }
    if (label == null || !LABEL.matcher(label).matches()) {
      throw new IllegalArgumentException(
          "volume label \""
              + label
              + "\" is not 1-11 characters of A-Z, 0-9, '_' or '-' (the FAT limit); shorten"
              + " parts.labelPattern or the part id");
    }
    if (chunkBytes < ALIGN || chunkBytes % ALIGN != 0 || chunkBytes > (64 << 20)) {
      throw new IllegalArgumentException(
          "chunk size must be a multiple of 4096 up to 64 MiB, found " + chunkBytes);
    }
  }

  /** Defaults: full verification, Purge allowed where verified, 4 MiB chunks. */
  public static SanitizeOptions of(FileSystemType fileSystem, String label) {
    return new SanitizeOptions(fileSystem, label, Verification.full(), true, DEFAULT_CHUNK);
  }

  /** The same with another verification. */
  public SanitizeOptions withVerification(Verification v) {
    return new SanitizeOptions(fileSystem, label, v, allowPurge, chunkBytes);
  }

  /** The same with another chunk size. */
  public SanitizeOptions withChunkBytes(int bytes) {
    return new SanitizeOptions(fileSystem, label, verification, allowPurge, bytes);
  }

  /**
   * The label for part {@code partId} from a pattern such as {@code BG${part}}: upper-cased, and
   * refused (by the constructor, when used) if it does not fit.
   */
  public static String label(String pattern, String partId) {
    return pattern.replace("${part}", partId).toUpperCase(java.util.Locale.ROOT);
  }
}
