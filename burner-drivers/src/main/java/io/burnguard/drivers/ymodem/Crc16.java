package io.burnguard.drivers.ymodem;

/** CRC-16/XMODEM: polynomial 0x1021, initial 0, no reflection (Forsberg, XMODEM-CRC). */
final class Crc16 {
  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int c = i << 8;
      for (int j = 0; j < 8; j++) {
        c = (c & 0x8000) != 0 ? (c << 1) ^ 0x1021 : c << 1;
      }
      TABLE[i] = c & 0xFFFF;
    }
  }

  private Crc16() {}

  static int xmodem(byte[] b, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc = ((crc << 8) ^ TABLE[((crc >> 8) ^ b[i]) & 0xFF]) & 0xFFFF;
    }
    return crc;
  }
}
