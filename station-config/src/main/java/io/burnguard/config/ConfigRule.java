package io.burnguard.config;

/**
 * A check of a station.yaml that needs knowledge this module does not have, such as which burner
 * drivers exist and what settings they read. The loader runs each rule on the bound configuration
 * and reports its problems like its own: file, line, field path, what is wrong and the fix.
 */
@FunctionalInterface
public interface ConfigRule {
  /** Checks {@code config}; reports every problem to {@code problems}. */
  void check(StationConfig config, Problems problems);

  /** Where a rule reports. The line is looked up from the field path. */
  interface Problems {
    /**
     * Records a problem.
     *
     * @param path the field as the loader names it, e.g. {@code fixtures[0].settings.baud} or
     *     {@code models.IPC-X1.recipe.readBack[1]}; a path that was not in the file (a missing key)
     *     is reported at the line of its nearest enclosing field
     * @param message what was found and what was expected
     * @param fix what to write instead
     */
    void add(String path, String message, String fix);
  }
}
