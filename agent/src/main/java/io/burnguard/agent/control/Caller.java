package io.burnguard.agent.control;

import io.burnguard.config.Role;
import java.util.List;
import java.util.Set;

/**
 * Who is on the other end of the control socket, as the kernel reports it ({@code SO_PEERCRED}) and
 * the station config maps it. Never taken from the request itself.
 *
 * @param user the OS user name
 * @param uid the numeric user id, -1 when it could not be resolved
 * @param groups every OS group of the user (primary and supplementary)
 * @param roles the roles those groups map to in station.yaml
 */
public record Caller(String user, long uid, List<String> groups, Set<Role> roles) {
  public Caller {
    groups = List.copyOf(groups);
    roles = Set.copyOf(roles);
  }

  /** True when the caller holds at least one of {@code needed}. */
  public boolean hasAny(Set<Role> needed) {
    for (Role r : needed) {
      if (roles.contains(r)) {
        return true;
      }
    }
    return false;
  }
}
