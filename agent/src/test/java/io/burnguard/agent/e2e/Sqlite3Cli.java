package io.burnguard.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The real {@code sqlite3} command line, as a tamperer with write access to the file uses it. */
final class Sqlite3Cli {
  private Sqlite3Cli() {}

  /** Runs {@code sql} against {@code db}; returns stdout; fails the test on a non-zero exit. */
  static String run(Path db, String sql) throws Exception {
    Process p =
        new ProcessBuilder("sqlite3", "-batch", "-bail", db.toString())
            .redirectErrorStream(true)
            .start();
    try {
      p.getOutputStream().write(sql.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sqlite3 did not finish");
      assertEquals(0, p.exitValue(), "sqlite3 failed on " + sql + ": " + out);
      return out;
    } finally {
      p.destroyForcibly();
    }
  }
}
