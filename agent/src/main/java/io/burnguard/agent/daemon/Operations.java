package io.burnguard.agent.daemon;

import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Handler;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The handlers of the capabilities this daemon has built, by {@link Operation}. Names and roles are
 * decided in {@link Operation} alone; an operation left without a handler here is answered with
 * exit 2 ("not built yet") after authorization.
 */
final class Operations {
  private final Map<Operation, Handler> handlers = new EnumMap<>(Operation.class);

  /** Attaches the handler of a built capability; attaching two to one operation is a bug. */
  Operations handle(Operation op, Handler handler) {
    if (handlers.putIfAbsent(op, handler) != null) {
      throw new IllegalStateException("operation " + op.wireName() + " has two handlers");
    }
    return this;
  }

  Map<Operation, Handler> all() {
    return Collections.unmodifiableMap(new EnumMap<>(handlers));
  }
}
