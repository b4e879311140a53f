package io.burnguard.drivers.tftp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** TFTP packet encoding and decoding (RFC 1350 §5, RFC 2347 §2 options, OACK opcode 6). */
final class TftpPackets {
  static final int RRQ = 1;
  static final int WRQ = 2;
  static final int DATA = 3;
  static final int ACK = 4;
  static final int ERROR = 5;
  static final int OACK = 6;

  // RFC 1350 §5 error codes.
  static final int ERR_UNDEFINED = 0;
  static final int ERR_NOT_FOUND = 1;
  static final int ERR_ACCESS = 2;
  static final int ERR_ILLEGAL = 4;
  static final int ERR_UNKNOWN_TID = 5;
  // RFC 2347 §4: option negotiation refused.
  static final int ERR_OPTIONS = 8;

  private TftpPackets() {}

  /** A parsed read or write request. Option names lower-cased (RFC 2347: case-insensitive). */
  record Request(int opcode, String file, String mode, Map<String, String> options) {}

  static int opcode(ByteBuffer p) {
    return p.remaining() >= 2 ? p.getShort(p.position()) & 0xFFFF : -1;
  }

  /** Parses RRQ/WRQ; null when malformed (no terminating NULs, odd option count). */
  static Request parseRequest(ByteBuffer p) {
    int op = opcode(p);
    byte[] b = new byte[p.remaining() - 2];
    p.duplicate().position(p.position() + 2).get(b);
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 0) {
        parts.add(new String(b, start, i - start, StandardCharsets.US_ASCII));
        start = i + 1;
      }
    }
    if (start != b.length || parts.size() < 2 || parts.size() % 2 != 0) {
      return null;
    }
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 2; i < parts.size(); i += 2) {
      opts.put(parts.get(i).toLowerCase(Locale.ROOT), parts.get(i + 1));
    }
    return new Request(op, parts.get(0), parts.get(1).toLowerCase(Locale.ROOT), opts);
  }

  static ByteBuffer data(int block, byte[] buf, int off, int len) {
    ByteBuffer p = ByteBuffer.allocate(4 + len);
    p.putShort((short) DATA).putShort((short) block).put(buf, off, len).flip();
    return p;
  }

  static ByteBuffer ack(int block) {
    ByteBuffer p = ByteBuffer.allocate(4);
    p.putShort((short) ACK).putShort((short) block).flip();
    return p;
  }

  static ByteBuffer error(int code, String message) {
    byte[] m = message.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer p = ByteBuffer.allocate(5 + m.length);
    p.putShort((short) ERROR).putShort((short) code).put(m).put((byte) 0).flip();
    return p;
  }

  static ByteBuffer oack(Map<String, String> options) {
    ByteBuffer p = ByteBuffer.allocate(512);
    p.putShort((short) OACK);
    for (Map.Entry<String, String> e : options.entrySet()) {
      p.put(e.getKey().getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
      p.put(e.getValue().getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
    }
    p.flip();
    return p;
  }

  /** Block number of a DATA or ACK packet. */
  static int block(ByteBuffer p) {
    return p.getShort(p.position() + 2) & 0xFFFF;
  }

  static String errorMessage(ByteBuffer p) {
    int code = block(p);
    byte[] b = new byte[Math.max(0, p.remaining() - 5)];
    p.duplicate().position(p.position() + 4).get(b);
    return "code " + code + ": " + new String(b, StandardCharsets.US_ASCII);
  }
}
