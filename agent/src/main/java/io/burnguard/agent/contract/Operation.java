package io.burnguard.agent.contract;

import static io.burnguard.config.Role.ENGINEER;
import static io.burnguard.config.Role.OPERATOR;
import static io.burnguard.config.Role.QA;
import static io.burnguard.config.Role.SECURITY;

import io.burnguard.config.Role;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Every request the daemon knows: its name on the control socket and the roles that may make it
 * (docs/architecture.md, "Roles"). This table is the one place where roles are decided. The CLI
 * sends these names, the control server authorizes against these roles and the daemon attaches a
 * handler to each capability that is built; an operation without a handler is still authorized and
 * then answered with exit 2 ("not built yet"), so roles are enforced uniformly.
 */
public enum Operation {
  DOCTOR("doctor", Role.values()),
  FIRMWARE_FETCH("firmware.fetch", ENGINEER),
  FIRMWARE_LIST("firmware.list", Role.values()),
  ORDER_OPEN("order.open", ENGINEER),
  ORDER_CLOSE("order.close", ENGINEER),
  ORDER_LIST("order.list", ENGINEER, OPERATOR, QA),
  BURN("burn", OPERATOR),
  TRACE("trace", OPERATOR, QA),
  UNITS("units", QA),
  ALERTS_LIST("alerts.list", SECURITY),
  ALERTS_ACK("alerts.ack", SECURITY),
  PORTS("ports", SECURITY),
  PORTS_EVENTS("ports.events", SECURITY),
  POLICY_SHOW("policy.show", SECURITY),
  POLICY_GENERATE("policy.generate", SECURITY),
  POLICY_CHECK("policy.check", SECURITY),
  POLICY_RELOAD("policy.reload", SECURITY),
  PARTS_REGISTER("parts.register", ENGINEER),
  PARTS_SANITIZE("parts.sanitize", ENGINEER),
  PARTS_SCAN("parts.scan", ENGINEER),
  PARTS_INVENTORY("parts.inventory", ENGINEER, SECURITY, QA),
  PARTS_INSTALL("parts.install", ENGINEER),
  PARTS_SCRAP("parts.scrap", ENGINEER, SECURITY),
  PARTS_WITNESS("parts.witness", SECURITY),
  PARTS_CERTIFICATE("parts.certificate", ENGINEER, SECURITY, QA),
  PARTS_SHOW("parts.show", ENGINEER, SECURITY, QA),
  AUDIT_VERIFY("audit.verify", SECURITY),
  AUDIT_HEAD("audit.head", SECURITY),
  CONFIG_RELOAD("config.reload", ENGINEER);

  private final String wireName;
  private final Set<Role> roles;

  Operation(String wireName, Role... roles) {
    if (roles.length == 0) {
      throw new IllegalArgumentException("operation " + wireName + " must name at least one role");
    }
    this.wireName = wireName;
    this.roles = Set.copyOf(Arrays.asList(roles));
  }

  /** The name in the request's {@code "op"} field, e.g. {@code alerts.ack}. */
  public String wireName() {
    return wireName;
  }

  /** The roles of which a caller must hold at least one. */
  public Set<Role> roles() {
    return roles;
  }

  /** True when every role may make this request (station posture reads). */
  public boolean openToEveryRole() {
    return roles.size() == Role.values().length;
  }

  /** The operation a request names, or empty for a name this version does not know. */
  public static Optional<Operation> named(String wireName) {
    for (Operation op : values()) {
      if (op.wireName.equals(wireName)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
