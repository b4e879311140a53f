package io.burnguard.agent.parts;

import io.burnguard.config.Role;
import java.util.Set;

/**
 * Who does something, as the daemon learned it from the control socket's peer credentials (never
 * from the request).
 *
 * @param user the OS user name
 * @param roles the BurnGuard roles of the user's groups
 */
public record Actor(String user, Set<Role> roles) {
  public Actor {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("an actor needs a user name");
    }
    roles = Set.copyOf(roles);
  }

  boolean has(Role r) {
    return roles.contains(r);
  }
}
