package io.burnguard.agent.control;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.burnguard.config.UntrustedText;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects and validates the one request of a connection, fed by the selector ({@link
 * SelectorLoop}) as bytes arrive, so a connection that sends nothing holds no thread.
 *
 * <p>Threat: hostile or broken clients. A request is one JSON line of at most {@link
 * Wire#MAX_REQUEST_BYTES}; oversized or malformed lines are a {@link BadRequest} (answered, then
 * disconnected). The envelope is exact: {@code "v"} must be the JSON integer 1 (not {@code "1"},
 * {@code 1.9} or {@code 4294967297}, which lenient conversion would read as 1), and a key given
 * twice is refused instead of silently taking the last value, which two parsers might read
 * differently.
 */
final class RequestReader {
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

  private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
  private boolean complete;

  /**
   * Appends the bytes of {@code bb} (flipped) up to the first newline; true when the request line
   * is complete.
   */
  boolean append(ByteBuffer bb) throws BadRequest {
    while (bb.hasRemaining() && !complete) {
      byte b = bb.get();
      if (b == '\n') {
        complete = true;
      } else if (buf.size() >= Wire.MAX_REQUEST_BYTES) {
        throw new BadRequest(
            "request larger than "
                + Wire.MAX_REQUEST_BYTES
                + " bytes refused; requests are a single short JSON line");
      } else {
        buf.write(b);
      }
    }
    return complete;
  }

  /** True when no byte has arrived yet. */
  boolean empty() {
    return buf.size() == 0;
  }

  /** The request collected so far (complete, or ended by the client closing), parsed. */
  JsonNode request() throws BadRequest {
    return parse(buf.toString(StandardCharsets.UTF_8));
  }

  /** Checks the envelope {@code {"v":1,"op":"...","args":{...}}} of one request line. */
  static JsonNode parse(String line) throws BadRequest {
    JsonNode n;
    try {
      n = Wire.mapper().readTree(line);
    } catch (JacksonException e) {
      Matcher dup = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
      if (dup.find()) {
        throw new BadRequest(
            "request has the key \""
                + UntrustedText.neutralize(dup.group(1), 64)
                + "\" more than once; each key may appear once. Use the burnguard CLI");
      }
      throw new BadRequest(
          "request is not valid JSON; the control socket expects one JSON"
              + " object per line as sent by the burnguard CLI");
    }
    if (n == null || !n.isObject()) {
      throw new BadRequest("request must be a JSON object with \"v\", \"op\" and \"args\"");
    }
    JsonNode v = n.path("v");
    if (!v.isInt() || v.intValue() != Wire.VERSION) {
      throw new BadRequest(
          "request has protocol version "
              + UntrustedText.neutralize(v.toString(), 64)
              + ", expected the JSON number "
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
    if (args != null) {
      ArgumentCheck.check(args);
    }
    return n;
  }
}
