package io.burnguard.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestReaderTest {
  @Test
  void acceptsAWellFormedRequest() throws Exception {
    var n = RequestReader.parse("{\"v\":1,\"op\":\"doctor\",\"args\":{}}");
    assertEquals("doctor", n.path("op").asText());
  }

  @Test
  void refusesMalformedEnvelopes() {
    assertMessage("not json", "not valid JSON");
    assertMessage("[1,2]", "must be a JSON object");
    assertMessage("{\"op\":\"doctor\"}", "protocol version");
    assertMessage("{\"v\":1}", "lacks the text field \"op\"");
    assertMessage("{\"v\":1,\"op\":7}", "lacks the text field \"op\"");
    assertMessage("{\"v\":1,\"op\":\"doctor\",\"args\":[]}", "\"args\" must be a JSON object");
    assertMessage("{\"v\":1,\"op\":\"doctor\"} trailing", "not valid JSON");
    assertMessage("[".repeat(100), "not valid JSON");
  }

  @Test
  void protocolVersionMustBeTheJsonInteger1() {
    assertMessage(
        "{\"v\":\"1\",\"op\":\"doctor\"}", "protocol version \"1\", expected the JSON number 1");
    assertMessage("{\"v\":1.9,\"op\":\"doctor\"}", "protocol version 1.9");
    assertMessage("{\"v\":1.0,\"op\":\"doctor\"}", "protocol version 1.0");
    assertMessage("{\"v\":4294967297,\"op\":\"doctor\"}", "protocol version 4294967297");
    assertMessage("{\"v\":true,\"op\":\"doctor\"}", "protocol version true");
  }

  @Test
  void aKeyGivenTwiceIsRefusedNamingIt() {
    assertMessage(
        "{\"v\":1,\"op\":\"doctor\",\"op\":\"audit.verify\"}",
        "request has the key \"op\" more than once");
    assertMessage(
        "{\"v\":1,\"op\":\"burn\",\"args\":{\"barcode\":\"A\",\"barcode\":\"B\"}}",
        "the key \"barcode\" more than once");
  }

  @Test
  void requestLineIsCollectedAcrossReadsUpToTheNewline() throws Exception {
    RequestReader r = new RequestReader();
    assertTrue(r.empty());
    assertFalse(r.append(bytes("{\"v\":1,")));
    assertTrue(r.append(bytes("\"op\":\"doctor\"}\nignored")));
    assertEquals("doctor", r.request().path("op").asText());
    RequestReader big = new RequestReader();
    BadRequest e =
        assertThrows(
            BadRequest.class, () -> big.append(bytes("x".repeat(Wire.MAX_REQUEST_BYTES + 1))));
    assertTrue(e.getMessage().contains("larger than 65536 bytes"), e.getMessage());
  }

  private static java.nio.ByteBuffer bytes(String s) {
    return java.nio.ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void assertMessage(String line, String expected) {
    BadRequest e = assertThrows(BadRequest.class, () -> RequestReader.parse(line));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
