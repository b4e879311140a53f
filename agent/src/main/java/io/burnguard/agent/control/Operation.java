package io.burnguard.agent.control;

import io.burnguard.config.Role;
import java.util.Set;

/**
 * A request the daemon serves: its name on the wire, the roles allowed to call it and its handler.
 * A spec without a handler is a capability not built yet: it is still authorized, so roles are
 * enforced uniformly, and then answered with exit 2.
 */
public record Operation(String name, Set<Role> roles, Handler handler) {
  public Operation {
    roles = Set.copyOf(roles);
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("operation " + name + " must name at least one role");
    }
  }

  /** Serves one call. */
  @FunctionalInterface
  public interface Handler {
    Result handle(Call call) throws OperationException;
  }

  /** All four roles: for station posture reads that every user of the station may see. */
  public static final Set<Role> ANY_ROLE = Set.of(Role.values());
}
