package io.burnguard.agent.fleet;

import java.io.IOException;
import java.util.Map;

/**
 * Receives fleet query rows one at a time as they stream from PostgreSQL (column name to value, in
 * column order), so a recall of any size costs the memory of one row.
 */
@FunctionalInterface
public interface RowSink {
  /** One row; the map is not reused. */
  void accept(Map<String, Object> row) throws IOException;
}
