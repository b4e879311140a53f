package io.burnguard.agent.vetting.cache;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Streaming AES-256-GCM in fixed-size chunks, so multi-GiB images never sit in the heap.
 *
 * <p>Format: {@code "BGC1"}, an 8-byte random file prefix, then chunks of up to {@link #CHUNK}
 * plaintext bytes, each sealed separately with nonce {@code prefix || chunkIndex} and with the
 * header, the chunk index and a last-chunk flag as associated data. So a chunk cannot be changed,
 * moved, dropped or followed by extra chunks, and the file cannot be cut at a chunk boundary (the
 * "STREAM" construction of Hoang, Reyhanitabar, Rogaway and Vizar, 2015). A tampered chunk fails
 * before any of its bytes are handed out.
 */
final class ChunkedGcm {
  static final int CHUNK = 64 * 1024;
  static final int TAG = 16;
  private static final byte[] MAGIC = {'B', 'G', 'C', '1'};
  static final int HEADER = MAGIC.length + 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ChunkedGcm() {}

  /** Encrypts all of {@code in} to {@code out}. */
  static void encrypt(SecretKey key, InputStream in, OutputStream out)
      throws IOException, GeneralSecurityException {
    byte[] header = new byte[HEADER];
    System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
    byte[] prefix = new byte[8];
    RANDOM.nextBytes(prefix);
    System.arraycopy(prefix, 0, header, MAGIC.length, 8);
    out.write(header);
    PushbackInputStream pin = new PushbackInputStream(in, 1);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    for (long index = 0; ; index++) {
      byte[] plain = pin.readNBytes(CHUNK);
      boolean last = isLast(pin);
      c.init(Cipher.ENCRYPT_MODE, key, nonce(prefix, index));
      c.updateAAD(aad(header, index, last));
      out.write(c.doFinal(plain));
      if (last) {
        return;
      }
    }
  }

  /** A new file header: the magic and a fresh random nonce prefix. */
  static byte[] newHeader() {
    byte[] header = new byte[HEADER];
    System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
    byte[] prefix = new byte[8];
    RANDOM.nextBytes(prefix);
    System.arraycopy(prefix, 0, header, MAGIC.length, 8);
    return header;
  }

  /** Whether {@code header} is a header of this format. */
  static boolean isHeader(byte[] header) {
    return header.length == HEADER && Arrays.equals(Arrays.copyOf(header, 4), MAGIC);
  }

  /** How many chunks an image of {@code length} bytes takes (an empty image takes one). */
  static long chunks(long length) {
    return Math.max(1, (length + CHUNK - 1) / CHUNK);
  }

  /** The size of the encrypted file of an image of {@code length} bytes. */
  static long encryptedSize(long length) {
    return HEADER + length + chunks(length) * TAG;
  }

  /** Seals chunk {@code index} of a file whose header is {@code header}. */
  static byte[] seal(SecretKey key, byte[] header, long index, boolean last, byte[] plain, int len)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, key, nonce(Arrays.copyOfRange(header, 4, HEADER), index));
    c.updateAAD(aad(header, index, last));
    return c.doFinal(plain, 0, len);
  }

  /** Opens (authenticates and decrypts) chunk {@code index}; throws on any tampering. */
  static byte[] open(SecretKey key, byte[] header, long index, boolean last, byte[] sealed)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, key, nonce(Arrays.copyOfRange(header, 4, HEADER), index));
    c.updateAAD(aad(header, index, last));
    return c.doFinal(sealed);
  }

  private static boolean isLast(PushbackInputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      return true;
    }
    in.unread(b);
    return false;
  }

  private static GCMParameterSpec nonce(byte[] prefix, long index) {
    if (index > 0xFFFF_FFFFL) {
      throw new IllegalStateException("more than 2^32 chunks");
    }
    return new GCMParameterSpec(
        TAG * 8, ByteBuffer.allocate(12).put(prefix).putInt((int) index).array());
  }

  private static byte[] aad(byte[] header, long index, boolean last) {
    return ByteBuffer.allocate(HEADER + 9)
        .put(header)
        .putLong(index)
        .put((byte) (last ? 1 : 0))
        .array();
  }

  /** A stream of the plaintext of an encrypted cache file; throws on any tampering. */
  static InputStream decrypt(SecretKey key, InputStream in) throws IOException {
    byte[] header = in.readNBytes(HEADER);
    if (header.length != HEADER || !Arrays.equals(Arrays.copyOf(header, 4), MAGIC)) {
      throw new IOException("not a BurnGuard cache file (bad header)");
    }
    return new Decrypting(key, header, new PushbackInputStream(in, 1));
  }

  /** Decrypts chunk by chunk. */
  private static final class Decrypting extends InputStream {
    private final SecretKey key;
    private final byte[] header;
    private final byte[] prefix;
    private final PushbackInputStream in;
    private byte[] chunk = new byte[0];
    private int pos;
    private long index;
    private boolean done;

    Decrypting(SecretKey key, byte[] header, PushbackInputStream in) {
      this.key = key;
      this.header = header;
      this.prefix = Arrays.copyOfRange(header, 4, HEADER);
      this.in = in;
    }

    private boolean fill() throws IOException {
      while (pos >= chunk.length) {
        if (done) {
          return false;
        }
        byte[] sealed = in.readNBytes(CHUNK + TAG);
        if (sealed.length < TAG) {
          throw new EOFException("cache file is truncated at chunk " + index);
        }
        boolean last = isLast(in);
        try {
          Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
          c.init(Cipher.DECRYPT_MODE, key, nonce(prefix, index));
          c.updateAAD(aad(header, index, last));
          chunk = c.doFinal(sealed);
        } catch (GeneralSecurityException e) {
          throw new IOException(
              "cache file chunk " + index + " fails authentication (altered, cut or reordered)", e);
        }
        pos = 0;
        index++;
        done = last;
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      return fill() ? chunk[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, chunk.length - pos);
      System.arraycopy(chunk, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
