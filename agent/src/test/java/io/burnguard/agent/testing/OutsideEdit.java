package io.burnguard.agent.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A change made to a station database outside BurnGuard, as sqlite3 would make it: a connection of
 * its own, no journal of ours, no chain entry.
 */
public final class OutsideEdit {
  private OutsideEdit() {}

  public static void run(Path dbFile, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }
}
