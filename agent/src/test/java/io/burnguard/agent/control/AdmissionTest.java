package io.burnguard.agent.control;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.config.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 12, finding 4: limits per user and workers kept for operators. */
class AdmissionTest {
  private final Admission a = new Admission();

  private static Caller user(String name, Role... roles) {
    return new Caller(name, 2000 + name.length(), List.of(name), Set.of(roles));
  }

  @Test
  void oneUserMayHoldOnlyItsShareOfConnections() {
    Caller nobody = user("nobody");
    for (int i = 0; i < Admission.MAX_PER_USER; i++) {
      assertNull(a.open(nobody));
    }
    String refused = a.open(nobody);
    assertNotNull(refused);
    assertTrue(refused.contains("you (nobody) already have 16 connections open"), refused);
    assertNull(a.open(user("alice", Role.OPERATOR)), "another user is not affected");
    a.closed(nobody);
    assertNull(a.open(nobody), "a closed connection frees its place");
  }

  @Test
  void theLastWorkersAreKeptForOperatorsAndUsersWithoutARoleShareTwo() {
    Caller none = user("nobody");
    for (int i = 0; i < Admission.NO_ROLE_WORKERS; i++) {
      assertNull(a.work(none));
    }
    assertTrue(a.work(none).contains("without a BurnGuard role"));
    Caller qa = user("quinn", Role.QA);
    int others = Admission.MAX_WORKERS - Admission.OPERATOR_RESERVE - Admission.NO_ROLE_WORKERS;
    for (int i = 0; i < others; i++) {
      assertNull(a.work(qa));
    }
    String busy = a.work(qa);
    assertTrue(busy.contains("busy serving 28 requests (4 more are kept for operators)"), busy);
    Caller op = user("olga", Role.OPERATOR);
    for (int i = 0; i < Admission.OPERATOR_RESERVE; i++) {
      assertNull(a.work(op), "operator request " + i);
    }
    assertTrue(a.work(op).contains("busy serving 32 requests"));
    a.done(none);
    assertNull(a.work(op), "a finished request frees its worker");
  }
}
