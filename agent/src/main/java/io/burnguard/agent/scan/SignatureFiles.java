package io.burnguard.agent.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity of clamd's signature files: a SHA-256 over the sorted names, sizes and modification
 * times of the regular files in its database directory (clamd reads that directory, not its
 * subdirectories). Reading names and attributes costs microseconds, where hashing the contents of a
 * full freshclam database (hundreds of MiB) would cost seconds per burn.
 *
 * <p>Threat: a verdict made with the old signatures must never be keyed under the new files. clamd
 * picks up changed files only at a RELOAD or its SelfCheck (every 600 s by default), so right after
 * a change the files on disk can be newer than what clamd has loaded. The directory is therefore
 * "settled" only when its newest file is older than {@link #SETTLE}; until then no digest is given
 * and, for an undated database, nothing is reused (a rescan, never a stale verdict).
 */
final class SignatureFiles {
  private static final Logger log = LoggerFactory.getLogger(SignatureFiles.class);

  /** clamd's default SelfCheck interval: after it, clamd has reloaded changed files itself. */
  static final Duration SETTLE = Duration.ofSeconds(600);

  /** A directory larger than this is not a clamd database directory; refuse to digest it. */
  static final int MAX_FILES = 4096;

  private SignatureFiles() {}

  /**
   * The digest of {@code dir}'s signature files as of {@code now}, or empty when {@code dir} is
   * null, cannot be read, or changed within {@link #SETTLE} of {@code now}.
   */
  static Optional<String> digest(Path dir, Instant now) {
    if (dir == null) {
      return Optional.empty();
    }
    Map<String, BasicFileAttributes> files = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path f : ds) {
        // Links are followed: what counts is the file clamd reads.
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        if (a.isRegularFile()) {
          files.put(f.getFileName().toString(), a);
        }
        if (files.size() > MAX_FILES) {
          log.warn("{} holds more than {} files; not a clamd database directory", dir, MAX_FILES);
          return Optional.empty();
        }
      }
    } catch (IOException e) {
      log.warn("cannot list clamd's database directory {}: {}", dir, e.getMessage());
      return Optional.empty();
    }
    return digestOf(dir, files, now);
  }

  private static Optional<String> digestOf(
      Path dir, Map<String, BasicFileAttributes> files, Instant now) {
    MessageDigest sha = ImageScanner.newSha256();
    Instant newest = Instant.EPOCH;
    for (Map.Entry<String, BasicFileAttributes> e : files.entrySet()) {
      BasicFileAttributes a = e.getValue();
      Instant m = a.lastModifiedTime().toInstant();
      newest = m.isAfter(newest) ? m : newest;
      String line = e.getKey() + "\0" + a.size() + "\0" + m + "\n";
      sha.update(line.getBytes(StandardCharsets.UTF_8));
    }
    if (files.isEmpty()) {
      return Optional.empty();
    }
    if (newest.plus(SETTLE).isAfter(now)) {
      log.info(
          "clamd's database directory {} changed at {}; its verdicts are not reused before {}"
              + " (clamd may not have loaded the change yet)",
          dir,
          newest,
          newest.plus(SETTLE));
      return Optional.empty();
    }
    return Optional.of(HexFormat.of().formatHex(sha.digest()));
  }
}
