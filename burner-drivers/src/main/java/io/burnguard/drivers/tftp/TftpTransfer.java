package io.burnguard.drivers.tftp;

import io.burnguard.drivers.ImageSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One read transfer on its own socket (RFC 1350 §4 TID). Keeps only the current window in memory,
 * read forward from the image stream, so any image size works. Block numbers wrap from 65535 to 0,
 * as U-Boot and most clients expect for images larger than 65535 blocks.
 */
final class TftpTransfer {
  private final DatagramChannel ch;
  private final InetSocketAddress peer;
  private final TftpServer.Config config;
  private final ImageSource image;
  private final long length;
  private final TftpServer.Listener listener;
  private final ByteBuffer in = ByteBuffer.allocate(1024);
  private int blockSize = 512;
  private int windowSize = 1;
  private long nextBlock = 1; // number of the next block to read from the image
  private boolean eof; // the last (short) block has been read

  TftpTransfer(
      DatagramChannel ch,
      InetSocketAddress peer,
      TftpServer.Config config,
      ImageSource image,
      long length,
      TftpServer.Listener listener) {
    this.ch = ch;
    this.peer = peer;
    this.config = config;
    this.image = image;
    this.length = length;
    this.listener = listener;
  }

  TftpServer.Result run(TftpPackets.Request req) throws IOException {
    ch.socket().setSoTimeout((int) config.retransmit().toMillis());
    Map<String, String> granted = negotiate(req.options());
    if (!granted.isEmpty() && !exchangeOack(granted)) {
      return fail(0, "the device did not acknowledge the TFTP options");
    }
    try (InputStream src = image.open()) {
      return send(src);
    }
  }

  /** RFC 2347/2348/2349/7440: grant what we support, clamped to our limits. */
  private Map<String, String> negotiate(Map<String, String> asked) {
    Map<String, String> granted = new LinkedHashMap<>();
    Integer bs = intOption(asked, "blksize", 8, 65464);
    if (bs != null) {
      blockSize = Math.min(bs, config.maxBlockSize());
      granted.put("blksize", Integer.toString(blockSize));
    }
    if (asked.containsKey("tsize")) {
      granted.put("tsize", Long.toString(length));
    }
    Integer ws = intOption(asked, "windowsize", 1, 65535);
    if (ws != null) {
      windowSize = Math.min(ws, config.maxWindowSize());
      granted.put("windowsize", Integer.toString(windowSize));
    }
    return granted;
  }

  private static Integer intOption(Map<String, String> asked, String key, int min, int max) {
    String v = asked.get(key);
    if (v == null) {
      return null;
    }
    try {
      int i = Integer.parseInt(v.trim());
      return i >= min && i <= max ? i : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private boolean exchangeOack(Map<String, String> granted) throws IOException {
    for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
      ch.send(TftpPackets.oack(granted), peer);
      Integer ack = awaitAck();
      if (ack != null && ack == 0) {
        return true;
      }
      if (ack != null && ack < 0) {
        return false;
      }
    }
    return false;
  }

  /**
   * Sends the image in windows (RFC 7440; windowsize 1 is RFC 1350's lock-step). While the device
   * works on a window, the blocks after it are read and built into packets, so an ACK is answered
   * with a packet that is already made: at windowsize 1 every block waits for one ACK, and the file
   * read would otherwise sit on that path. Progress is reported after sending, for the same reason.
   */
  private TftpServer.Result send(InputStream src) throws IOException {
    ArrayDeque<ByteBuffer> window = new ArrayDeque<>(); // DATA packets base .. base+size-1
    ArrayDeque<ByteBuffer> ahead = new ArrayDeque<>(); // DATA packets after the window
    byte[] buf = new byte[blockSize];
    long base = 1; // index of the first unacknowledged block
    long acked = 0;
    long reported = 0;
    int retries = 0;
    while (true) {
      while (window.size() < windowSize && !(ahead.isEmpty() && eof)) {
        if (ahead.isEmpty()) {
          readBlock(src, buf, ahead);
        }
        window.add(ahead.removeFirst());
      }
      if (window.isEmpty()) {
        listener.acknowledged(acked, length);
        return new TftpServer.Result(true, acked, blockSize, windowSize, "");
      }
      for (ByteBuffer p : window) {
        ch.send(p.rewind(), peer);
      }
      if (acked > reported) {
        listener.acknowledged(acked, length);
        reported = acked;
      }
      while (!eof && ahead.size() < windowSize) {
        readBlock(src, buf, ahead);
      }
      Integer ack = awaitAckInWindow(base, base + window.size() - 1);
      if (ack == null) {
        if (++retries > config.maxRetries()) {
          return fail(acked, "the device stopped acknowledging at byte " + acked);
        }
        continue;
      }
      if (ack < 0) {
        return fail(acked, "the device aborted the transfer (" + errorText + ")");
      }
      retries = 0;
      long got = base - 1 + ((ack - (base - 1)) & 0xFFFF);
      while (base <= got) {
        acked += window.removeFirst().limit() - 4;
        base++;
      }
    }
  }

  /** Reads the next block into a DATA packet; a short (possibly empty) one is the last (§6). */
  private void readBlock(InputStream src, byte[] buf, ArrayDeque<ByteBuffer> into)
      throws IOException {
    int n = TftpServer.readFully(src, buf, blockSize);
    into.add(TftpPackets.data((int) (nextBlock++ & 0xFFFF), buf, 0, n));
    eof = n < blockSize;
  }

  private String errorText = "";

  /** Waits for an ACK inside (base-1, last]; duplicates are ignored (RFC 1123 §4.2.3.1). */
  private Integer awaitAckInWindow(long base, long last) throws IOException {
    while (true) {
      Integer ack = awaitAck();
      if (ack == null || ack < 0) {
        return ack;
      }
      long d = (ack - (base - 1)) & 0xFFFF;
      if (d >= 1 && d <= last - base + 1) {
        return ack;
      }
    }
  }

  /** An ACK's block number; null on timeout; -1 on an ERROR from the peer. */
  private Integer awaitAck() throws IOException {
    while (true) {
      in.clear();
      InetSocketAddress from;
      try {
        from = TftpServer.receive(ch, in);
      } catch (SocketTimeoutException e) {
        return null;
      }
      if (!from.equals(peer)) {
        ch.send(TftpPackets.error(TftpPackets.ERR_UNKNOWN_TID, "unknown transfer ID"), from);
        continue;
      }
      int op = TftpPackets.opcode(in);
      if (op == TftpPackets.ACK && in.remaining() >= 4) {
        return TftpPackets.block(in);
      }
      if (op == TftpPackets.ERROR) {
        errorText = in.remaining() >= 4 ? TftpPackets.errorMessage(in) : "no detail";
        return -1;
      }
    }
  }

  private TftpServer.Result fail(long acked, String why) {
    return new TftpServer.Result(false, acked, blockSize, windowSize, why);
  }
}
