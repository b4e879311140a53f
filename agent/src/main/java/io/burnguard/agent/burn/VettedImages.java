package io.burnguard.agent.burn;

import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.OperationException;

/**
 * The pipeline's source of vetted releases (the daemon's firmware handler): re-verifies a stored
 * release under today's trust material and the fixture's model, checks the withdrawal list, and
 * fetches a release never fetched when the caller may.
 */
@FunctionalInterface
public interface VettedImages {
  /**
   * The release {@code name} {@code version} vetted for a burn on a fixture of {@code model}.
   *
   * @param mayFetch whether the caller may fetch a release not yet on the station (engineer)
   * @throws OperationException refused (exit 3) or a dependency unavailable (exit 5)
   */
  VettedImage forBurn(Call call, String name, String version, String model, boolean mayFetch)
      throws OperationException;
}
