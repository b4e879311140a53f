package io.burnguard.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

  private static void assertMessage(String line, String expected) {
    BadRequest e = assertThrows(BadRequest.class, () -> RequestReader.parse(line));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
