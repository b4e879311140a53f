package io.burnguard.agent.burn;

import io.burnguard.agent.scan.ImageScanner.ImageSource;
import io.burnguard.agent.vetting.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * The CRC32 a device's read-back is compared with, computed once per image and remembered by
 * SHA-256.
 *
 * <p>The manifest carries length and SHA-256; the CRC32 of the same vetted bytes is computed once
 * per image, so a burn does not pay a second full (decrypting) read of the image before the
 * transfer (BENCHMARKS.md, "Burn overhead"). Safe because every read for the device comes through
 * the cache's verifying stream, which re-checks the SHA-256 at its end: bytes that changed in the
 * cache fail the transfer, and could not match this CRC32 on read-back anyway.
 */
final class Crc32Cache {
  private static final int BUFFER = 1 << 16;

  private final Map<String, Long> bySha256 = new ConcurrentHashMap<>();

  /** The CRC32 of the image {@code m} describes, read from {@code source} the first time. */
  long of(Manifest m, ImageSource source) throws IOException {
    Long known = bySha256.get(m.sha256());
    if (known != null) {
      return known;
    }
    CRC32 crc = new CRC32();
    long n = 0;
    try (InputStream in = source.open()) {
      byte[] buf = new byte[BUFFER];
      for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
        crc.update(buf, 0, r);
        n += r;
      }
    }
    if (n != m.length()) {
      throw new IOException(
          String.format(
              Locale.ROOT, "the cached image has %d bytes, the manifest says %d", n, m.length()));
    }
    bySha256.put(m.sha256(), crc.getValue());
    return crc.getValue();
  }
}
