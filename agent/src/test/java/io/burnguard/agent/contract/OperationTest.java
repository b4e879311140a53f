package io.burnguard.agent.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.config.Role;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperationTest {
  @Test
  void everyWireNameFindsItsOperationAndNoOther() {
    Set<String> names = new HashSet<>();
    for (Operation op : Operation.values()) {
      assertTrue(names.add(op.wireName()), "two operations named " + op.wireName());
      assertEquals(Optional.of(op), Operation.named(op.wireName()));
      assertTrue(op.wireName().matches("[a-z]+(\\.[a-z]+)?"), op.wireName());
      assertFalse(op.roles().isEmpty(), op.wireName());
    }
    assertEquals(Optional.empty(), Operation.named("nosuch"));
    assertEquals(Optional.empty(), Operation.named("AUDIT_VERIFY"));
  }

  @Test
  void onlyPostureReadsAreOpenToEveryRole() {
    Set<Operation> open = new HashSet<>();
    for (Operation op : Operation.values()) {
      if (op.openToEveryRole()) {
        open.add(op);
      }
    }
    assertEquals(Set.of(Operation.DOCTOR, Operation.FIRMWARE_LIST), open);
  }

  @Test
  void securityDecisionsNeedTheSecurityRole() {
    for (Operation op :
        Set.of(
            Operation.ALERTS_ACK,
            Operation.AUDIT_VERIFY,
            Operation.POLICY_RELOAD,
            Operation.PORTS)) {
      assertEquals(Set.of(Role.SECURITY), op.roles(), op.wireName());
    }
    assertEquals(Set.of(Role.OPERATOR), Operation.BURN.roles());
  }
}
