package io.burnguard.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Writer;
import java.util.function.Consumer;

/**
 * A call's standard output ({@link Call#stdout()}): text is buffered and sent as {@code "out"}
 * lines of about {@link #CHUNK_CHARS} characters, so a listing of any length streams in constant
 * memory. Sending never throws into the operation; the sender decides what a lost client means.
 */
final class CallOutput extends Writer {
  /** Characters buffered before a chunk is sent. */
  static final int CHUNK_CHARS = 16 * 1024;

  private final StringBuilder buf = new StringBuilder();
  private final Consumer<JsonNode> send;

  CallOutput(Consumer<JsonNode> send) {
    this.send = send;
  }

  @Override
  public void write(char[] c, int off, int len) {
    buf.append(c, off, len);
    if (buf.length() >= CHUNK_CHARS) {
      flush();
    }
  }

  @Override
  public void flush() {
    if (buf.length() > 0) {
      ObjectNode n = Wire.object();
      n.put("type", "out");
      n.put("text", buf.toString());
      buf.setLength(0);
      send.accept(n);
    }
  }

  @Override
  public void close() {
    flush();
  }
}
