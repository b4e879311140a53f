package io.burnguard.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.config.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControlServerTest {
  @Test
  void acceptsAWellFormedRequest() throws Exception {
    var n = ControlServer.parse("{\"v\":1,\"op\":\"doctor\",\"args\":{}}");
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
  void denialNamesTheNeededRoleTheCallerAndTheFix() {
    Caller c = new Caller("alice", 1001, List.of("alice", "line3"), Set.of(Role.OPERATOR));
    String m = ControlServer.denialMessage(c, "audit.verify", Set.of(Role.SECURITY));
    assertTrue(m.contains("\"audit verify\" needs the role security"), m);
    assertTrue(m.contains("you are alice in groups [alice, line3]"), m);
    assertTrue(m.contains("map to the roles operator"), m);
    assertTrue(m.contains("recorded"), m);
    Caller none = new Caller("bob", 1002, List.of("bob"), Set.of());
    String any = ControlServer.denialMessage(none, "doctor", Set.of(Role.values()));
    assertTrue(
        any.contains("needs a BurnGuard role (any of engineer, operator, qa, security)"), any);
    assertTrue(any.contains("which map to no role"), any);
  }

  private static void assertMessage(String line, String expected) {
    ControlServer.BadRequest e =
        assertThrows(ControlServer.BadRequest.class, () -> ControlServer.parse(line));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
