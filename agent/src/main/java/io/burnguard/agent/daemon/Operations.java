package io.burnguard.agent.daemon;

import static io.burnguard.config.Role.ENGINEER;
import static io.burnguard.config.Role.OPERATOR;
import static io.burnguard.config.Role.QA;
import static io.burnguard.config.Role.SECURITY;

import io.burnguard.agent.control.Operation;
import io.burnguard.config.Role;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every request the daemon knows, with the roles that may make it (docs/architecture.md, "Roles").
 * This table is the one place where roles are decided; a request without a handler is a capability
 * not built yet and is answered with exit 2 after authorization.
 */
final class Operations {
  private final Map<String, Operation> ops = new LinkedHashMap<>();

  Operations() {
    declare("doctor", Operation.ANY_ROLE);
    declare("firmware.fetch", Set.of(ENGINEER));
    declare("firmware.list", Operation.ANY_ROLE);
    declare("order.open", Set.of(ENGINEER));
    declare("order.close", Set.of(ENGINEER));
    declare("order.list", Set.of(ENGINEER, OPERATOR, QA));
    declare("burn", Set.of(OPERATOR));
    declare("trace", Set.of(OPERATOR, QA));
    declare("units", Set.of(QA));
    declare("alerts.list", Set.of(SECURITY));
    declare("alerts.ack", Set.of(SECURITY));
    declare("ports", Set.of(SECURITY));
    declare("policy.generate", Set.of(SECURITY));
    declare("policy.check", Set.of(SECURITY));
    declare("policy.reload", Set.of(SECURITY));
    declare("parts.register", Set.of(ENGINEER));
    declare("parts.sanitize", Set.of(ENGINEER));
    declare("parts.scan", Set.of(ENGINEER));
    declare("parts.inventory", Set.of(ENGINEER, SECURITY, QA));
    declare("parts.install", Set.of(ENGINEER));
    declare("parts.scrap", Set.of(ENGINEER, SECURITY));
    declare("audit.verify", Set.of(SECURITY));
    declare("audit.head", Set.of(SECURITY));
    declare("config.reload", Set.of(ENGINEER));
  }

  private void declare(String name, Set<Role> roles) {
    ops.put(name, new Operation(name, roles, null));
  }

  /** Attaches the handler of a built capability to its declared operation. */
  Operations handle(String name, Operation.Handler handler) {
    Operation declared = ops.get(name);
    if (declared == null) {
      throw new IllegalArgumentException("operation " + name + " is not declared");
    }
    ops.put(name, new Operation(name, declared.roles(), handler));
    return this;
  }

  Map<String, Operation> all() {
    return Map.copyOf(ops);
  }
}
