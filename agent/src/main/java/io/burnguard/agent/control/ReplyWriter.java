package io.burnguard.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes reply lines to a connection. Every write is under a deadline, so a client that stops
 * reading cannot pin a worker thread; writes to one channel are serialized, so progress sent from
 * an operation's own threads never interleaves with another line.
 */
final class ReplyWriter {
  private static final Logger log = LoggerFactory.getLogger(ReplyWriter.class);

  static final long WRITE_DEADLINE_MS = 30_000;

  private final Watchdog watchdog;

  ReplyWriter(Watchdog watchdog) {
    this.watchdog = watchdog;
  }

  /** Sends the final result. */
  void reply(SocketChannel ch, Result r) throws IOException {
    write(ch, r.toJson());
  }

  /** Sends one line of any type. */
  void write(SocketChannel ch, JsonNode line) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(Wire.line(line));
    synchronized (ch) {
      try (Watchdog.Deadline d = watchdog.arm(ch, WRITE_DEADLINE_MS)) {
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
      }
    }
  }
}
