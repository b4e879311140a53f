package io.burnguard.agent.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The exact bytes that are hashed and signed. Every variable-length field is length-prefixed so
 * that no two different entries encode alike, and each message starts with a distinct tag so an
 * entry signature can never be replayed as a head signature or the reverse.
 *
 * <pre>
 * entryHash = SHA-256("burnguard-audit-entry-v1" 0x00 | u64 seq | lp(at) | lp(kind) | lp(ref)
 *                     | payloadHash[32] | prevHash[32])        lp(s) = u32 length | UTF-8 bytes
 * entry signature = Ed25519(entryHash)
 * head message    = "burnguard-audit-head-v1" 0x00 | u64 seq | hash[32] | lp(at)
 * </pre>
 */
final class EntryCodec {
  static final HexFormat HEX = HexFormat.of();
  static final String ZERO_HASH = "0".repeat(64);
  private static final byte[] ENTRY_TAG = tag("burnguard-audit-entry-v1");
  private static final byte[] HEAD_TAG = tag("burnguard-audit-head-v1");

  private EntryCodec() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  static byte[] payloadHash(MessageDigest md, String payload) {
    return md.digest(payload.getBytes(StandardCharsets.UTF_8));
  }

  /** The payload hash from the stored UTF-8 bytes (no decoding and re-encoding on a walk). */
  static byte[] payloadHash(MessageDigest md, byte[] payloadUtf8) {
    return md.digest(payloadUtf8);
  }

  static byte[] entryHash(
      MessageDigest md,
      long seq,
      String at,
      String kind,
      String ref,
      byte[] payloadHash,
      byte[] prevHash) {
    md.reset();
    md.update(ENTRY_TAG);
    md.update(ByteBuffer.allocate(8).putLong(seq).array());
    lengthPrefixed(md, at);
    lengthPrefixed(md, kind);
    lengthPrefixed(md, ref);
    md.update(payloadHash);
    md.update(prevHash);
    return md.digest();
  }

  /** As above from the stored UTF-8 bytes of the text fields (a chain walk). */
  static byte[] entryHash(
      MessageDigest md,
      long seq,
      byte[] at,
      byte[] kind,
      byte[] ref,
      byte[] payloadHash,
      byte[] prevHash) {
    md.reset();
    md.update(ENTRY_TAG);
    byte[] lengths = new byte[8];
    putLong(lengths, seq);
    md.update(lengths, 0, 8);
    for (byte[] f : new byte[][] {at, kind, ref}) {
      byte[] b = f == null ? new byte[0] : f;
      putInt(lengths, b.length);
      md.update(lengths, 0, 4);
      md.update(b);
    }
    md.update(payloadHash);
    md.update(prevHash);
    return md.digest();
  }

  private static void putLong(byte[] b, long v) {
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
  }

  private static void putInt(byte[] b, int v) {
    for (int i = 3; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
  }

  static byte[] headMessage(long seq, byte[] hash, String at) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(HEAD_TAG);
    out.writeBytes(ByteBuffer.allocate(8).putLong(seq).array());
    out.writeBytes(hash);
    byte[] a = at.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(a.length).array());
    out.writeBytes(a);
    return out.toByteArray();
  }

  /** Decodes a stored 32-byte hash; null when the text is not exactly 64 hex digits. */
  static byte[] hash32(String hex) {
    if (hex == null || hex.length() != 64) {
      return null;
    }
    try {
      return HEX.parseHex(hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void lengthPrefixed(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    md.update(ByteBuffer.allocate(4).putInt(b.length).array());
    md.update(b);
  }

  private static byte[] tag(String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    byte[] t = new byte[n.length + 1];
    System.arraycopy(n, 0, t, 0, n.length);
    return t;
  }
}
