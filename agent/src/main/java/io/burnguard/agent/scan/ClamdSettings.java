package io.burnguard.agent.scan;

import java.time.Duration;

/**
 * How to talk to clamd.
 *
 * @param address where clamd listens
 * @param connectTimeout the longest wait for the connection to be accepted
 * @param readTimeout the longest wait for any progress (a reply byte, or room to send the next
 *     chunk); a daemon that stops reading or answering is given up after this
 * @param totalTimeout the longest one command may take end to end, streaming included
 * @param chunkSize bytes per INSTREAM chunk
 * @param streamMaxLength clamd's {@code StreamMaxLength} when known (0 when not): a stream that
 *     would exceed it is refused before the daemon has to cut it off
 */
public record ClamdSettings(
    ClamdAddress address,
    Duration connectTimeout,
    Duration readTimeout,
    Duration totalTimeout,
    int chunkSize,
    long streamMaxLength) {

  /** Default connect timeout: a local daemon accepts at once or not at all. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** Default read timeout: clamd scans a 256 MiB image in seconds, not minutes. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

  /** Default total timeout per command. */
  public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(10);

  /** Default chunk size. */
  public static final int DEFAULT_CHUNK_SIZE = 256 * 1024;

  public ClamdSettings {
    if (address == null) {
      throw new IllegalArgumentException("clamd address is required");
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("readTimeout", readTimeout);
    requirePositive("totalTimeout", totalTimeout);
    if (chunkSize < 1024 || chunkSize > 16 * 1024 * 1024) {
      throw new IllegalArgumentException(
          "clamd chunkSize must be between 1 KiB and 16 MiB, found " + chunkSize);
    }
    if (streamMaxLength < 0) {
      throw new IllegalArgumentException("streamMaxLength cannot be negative: " + streamMaxLength);
    }
  }

  /** Settings with every default for {@code address}. */
  public static ClamdSettings of(ClamdAddress address) {
    return new ClamdSettings(
        address,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_READ_TIMEOUT,
        DEFAULT_TOTAL_TIMEOUT,
        DEFAULT_CHUNK_SIZE,
        0);
  }

  /** A copy with other timeouts. */
  public ClamdSettings withTimeouts(Duration connect, Duration read, Duration total) {
    return new ClamdSettings(address, connect, read, total, chunkSize, streamMaxLength);
  }

  /** A copy with a known StreamMaxLength. */
  public ClamdSettings withStreamMaxLength(long bytes) {
    return new ClamdSettings(address, connectTimeout, readTimeout, totalTimeout, chunkSize, bytes);
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("clamd " + name + " must be positive, found " + d);
    }
  }
}
