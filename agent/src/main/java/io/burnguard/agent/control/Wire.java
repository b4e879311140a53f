package io.burnguard.agent.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The control socket's wire format: JSON lines over a Unix domain socket.
 *
 * <pre>
 * client -> daemon   {"v":1,"op":"doctor","args":{...}}\n          one request per connection
 * daemon -> client   {"type":"progress","phase":"scan","done":1024,"total":4096}\n   zero or more
 *                    {"type":"info","message":"..."}\n                               zero or more
 *                    {"type":"result","exit":0,"message":"...","data":{...}}\n      exactly one
 * </pre>
 *
 * <p>One request per connection keeps the daemon's state per connection trivial and lets the
 * client's exit code be the result's {@code exit}. Requests are bounded ({@link
 * #MAX_REQUEST_BYTES}) and must arrive within {@link #REQUEST_DEADLINE_MS}; replies are not bounded
 * because a read command may stream many rows.
 */
public final class Wire {
  /**
   * Protocol version; a request whose {@code "v"} is not exactly this JSON integer (not a string, a
   * fraction or a larger number) is refused with a clear message.
   */
  public static final int VERSION = 1;

  /** The largest request line the daemon reads; requests are small (an op and a few args). */
  public static final int MAX_REQUEST_BYTES = 64 * 1024;

  /** A client must send its whole request within this time or be disconnected. */
  public static final long REQUEST_DEADLINE_MS = 10_000;

  /**
   * The data-binding mapper, made on first use: building it loads and links several hundred classes
   * (~30 ms of CPU), which the CLI's client path does not need (issue 17). The CLI reads and writes
   * the wire through {@link JsonLines} (jackson-core's streaming parser and generator) with the
   * same read constraints; the daemon's side keeps this mapper.
   */
  private static final class Mapper {
    static final ObjectMapper JSON =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // A key given twice is an error, not "the last one wins" (issue 12, finding 10).
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
      JSON.getFactory().setStreamReadConstraints(READ_CONSTRAINTS);
    }
  }

  /** What a wire line may hold: the same bounds for the daemon's mapper and the CLI's reader. */
  static final StreamReadConstraints READ_CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNestingDepth(16)
          .maxStringLength(MAX_REQUEST_BYTES)
          .build();

  private Wire() {}

  /** A fresh empty JSON object for request args or result data. */
  public static ObjectNode object() {
    // the node factory the mapper uses too (its default), without making the mapper
    return JsonNodeFactory.instance.objectNode();
  }

  /** The shared mapper (thread-safe once configured). */
  public static ObjectMapper mapper() {
    return Mapper.JSON;
  }

  /**
   * {@code node} as indented JSON, exactly as {@code mapper().writerWithDefaultPrettyPrinter()}
   * writes it, without making the mapper: the CLI's {@code --json} output.
   */
  public static String pretty(JsonNode node) {
    return JsonLines.pretty(node);
  }

  static byte[] line(JsonNode node) {
    try {
      return (Mapper.JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a reply", e);
    }
  }
}
