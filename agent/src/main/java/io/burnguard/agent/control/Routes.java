package io.burnguard.agent.control;

import io.burnguard.agent.contract.Operation;
import io.burnguard.config.Role;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the control server consults for one request: the station's map from OS group to role and the
 * handlers of the built operations. A daemon whose configuration can be reloaded hands the server a
 * supplier of these; each connection takes one snapshot when it starts and uses it both to map the
 * caller's groups to roles and to pick the handler, so a request is authorized and served by the
 * same configuration generation (docs/architecture.md, "Configuration generations").
 *
 * @param roleOfGroup OS group name to role
 * @param handlers the built operations; a known operation without one is answered "not built yet"
 */
public record Routes(Map<String, Role> roleOfGroup, Map<Operation, Handler> handlers) {
  public Routes {
    roleOfGroup = Map.copyOf(roleOfGroup);
    Map<Operation, Handler> copy = new EnumMap<>(Operation.class);
    copy.putAll(handlers);
    handlers = Collections.unmodifiableMap(copy);
  }
}
