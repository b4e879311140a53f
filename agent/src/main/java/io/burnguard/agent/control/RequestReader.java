package io.burnguard.agent.control;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads and validates the one request of a connection.
 *
 * <p>Threat: hostile or broken clients. A request is one JSON line of at most {@link
 * Wire#MAX_REQUEST_BYTES}, read under {@link Wire#REQUEST_DEADLINE_MS}; oversized or malformed
 * lines are a {@link BadRequest} (answered, then disconnected), slow or half-open clients an {@link
 * IOException} (disconnected).
 */
final class RequestReader {
  private final Watchdog watchdog;

  RequestReader(Watchdog watchdog) {
    this.watchdog = watchdog;
  }

  /** Reads one request line under a deadline and checks its envelope. */
  JsonNode read(SocketChannel ch) throws BadRequest, IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
    ByteBuffer bb = ByteBuffer.allocate(8192);
    try (Watchdog.Deadline d = watchdog.arm(ch, Wire.REQUEST_DEADLINE_MS)) {
      while (true) {
        bb.clear();
        int n = readSome(ch, bb, d);
        if (n < 0) {
          if (buf.size() == 0) {
            throw new IOException("client closed without a request");
          }
          break;
        }
        if (appendUntilNewline(bb, n, buf)) {
          break;
        }
      }
    }
    return parse(buf.toString(StandardCharsets.UTF_8));
  }

  private static int readSome(SocketChannel ch, ByteBuffer bb, Watchdog.Deadline d)
      throws IOException {
    try {
      return ch.read(bb);
    } catch (ClosedChannelException e) {
      if (d.fired()) {
        throw new IOException("request not received within " + Wire.REQUEST_DEADLINE_MS + " ms");
      }
      throw e;
    }
  }

  /** Appends the first {@code n} bytes up to a newline; true when the newline was seen. */
  private static boolean appendUntilNewline(ByteBuffer bb, int n, ByteArrayOutputStream buf)
      throws BadRequest {
    for (int i = 0; i < n; i++) {
      byte b = bb.get(i);
      if (b == '\n') {
        return true;
      }
      if (buf.size() >= Wire.MAX_REQUEST_BYTES) {
        throw new BadRequest(
            "request larger than "
                + Wire.MAX_REQUEST_BYTES
                + " bytes refused; requests are a single short JSON line");
      }
      buf.write(b);
    }
    return false;
  }

  /** Checks the envelope {@code {"v":1,"op":"...","args":{...}}} of one request line. */
  static JsonNode parse(String line) throws BadRequest {
    JsonNode n;
    try {
      n = Wire.JSON.readTree(line);
    } catch (JacksonException e) {
      throw new BadRequest(
          "request is not valid JSON; the control socket expects one JSON"
              + " object per line as sent by the burnguard CLI");
    }
    if (n == null || !n.isObject()) {
      throw new BadRequest("request must be a JSON object with \"v\", \"op\" and \"args\"");
    }
    if (n.path("v").asInt(-1) != Wire.VERSION) {
      throw new BadRequest(
          "request has protocol version "
              + n.path("v")
              + ", expected "
              + Wire.VERSION
              + "; use the burnguard CLI of the same version as the daemon");
    }
    if (!n.path("op").isTextual()) {
      throw new BadRequest("request lacks the text field \"op\"");
    }
    JsonNode args = n.get("args");
    if (args != null && !args.isObject()) {
      throw new BadRequest("request field \"args\" must be a JSON object");
    }
    return n;
  }
}
