package io.burnguard.agent.parts;

import java.time.Instant;

/**
 * What a completed sanitize did, for the certificate.
 *
 * @param method Clear or Purge
 * @param technique the technique in words (pattern, passes, command)
 * @param bytes the bytes sanitized (the whole device)
 * @param verification the read-back method
 * @param verificationText the read-back method in words
 * @param bytesVerified the bytes read back and found to hold the pattern
 * @param fileSystem the file system created
 * @param label its volume label
 * @param formatTool the formatting tool and version as it names itself
 * @param directIo whether the medium was written and read with O_DIRECT (bypassing the cache)
 * @param started when the first byte was written
 * @param completed when the file system was created
 */
public record SanitizeResult(
    SanitizeMethod method,
    String technique,
    long bytes,
    Verification verification,
    String verificationText,
    long bytesVerified,
    FileSystemType fileSystem,
    String label,
    String formatTool,
    boolean directIo,
    Instant started,
    Instant completed) {}
