package io.burnguard.agent.scan;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Synthetic firmware images. The filler is a byte counter (consecutive bytes differ by one), which
 * never forms a magic number ({@code MZ}, {@code PK\3\4}, {@code \x7fELF}), so ClamAV scans it as
 * plain data and the test measures our code, not an archive parser.
 */
final class TestImages {
  private TestImages() {}

  /** The filler byte at {@code pos}. */
  static byte filler(long pos) {
    return (byte) (pos + (pos >>> 16));
  }

  /** {@code size} bytes of filler, with {@code insert} at {@code offset} (offset -1: none). */
  static InputStream image(long size, long offset, byte[] insert) {
    return new InputStream() {
      private long pos;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= size) {
          return -1;
        }
        int n = (int) Math.min(len, size - pos);
        for (int i = 0; i < n; i++) {
          long p = pos + i;
          b[off + i] =
              offset >= 0 && p >= offset && p < offset + insert.length
                  ? insert[(int) (p - offset)]
                  : filler(p);
        }
        pos += n;
        return n;
      }
    };
  }

  /** A clean image of {@code size} bytes. */
  static InputStream clean(long size) {
    return image(size, -1, new byte[0]);
  }

  /** An image of {@code size} bytes with EICAR at {@code offset}. */
  static InputStream withEicar(long size, long offset) {
    return image(size, offset, ClamdFixture.EICAR.getBytes(StandardCharsets.US_ASCII));
  }
}
