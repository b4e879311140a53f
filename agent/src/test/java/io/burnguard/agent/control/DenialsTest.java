package io.burnguard.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.config.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DenialsTest {
  private final Caller alice =
      new Caller("alice", 1001, List.of("alice", "line3"), Set.of(Role.OPERATOR));

  @Test
  void denialNamesTheNeededRoleTheCallerAndTheFix() {
    String m = Denials.message(alice, Operation.AUDIT_VERIFY);
    assertTrue(m.contains("\"audit verify\" needs the role security"), m);
    assertTrue(m.contains("you are alice in groups [alice, line3]"), m);
    assertTrue(m.contains("map to the roles operator"), m);
    assertTrue(m.contains("recorded"), m);
    Caller none = new Caller("bob", 1002, List.of("bob"), Set.of());
    String any = Denials.message(none, Operation.DOCTOR);
    assertTrue(
        any.contains("needs a BurnGuard role (any of engineer, operator, qa, security)"), any);
    assertTrue(any.contains("which map to no role"), any);
  }

  @Test
  void denialIsRecordedAndAnsweredWithExit3() {
    List<String> recorded = new ArrayList<>();
    Denials denials =
        new Denials(
            new RefusalCoalescer(
                d -> recorded.add(d.caller().user() + " " + d.request() + " needs " + d.reason()),
                java.time.Clock.systemUTC(),
                RefusalCoalescer.WINDOW));
    Result r = denials.deny(alice, Operation.ALERTS_ACK);
    assertEquals(List.of("alice alerts.ack needs security"), recorded);
    assertEquals(ExitCode.REFUSED, r.exit());
    assertTrue(r.message().contains("\"alerts ack\" needs the role security"), r.message());
  }
}
