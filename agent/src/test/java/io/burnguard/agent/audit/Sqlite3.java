package io.burnguard.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code sqlite3} command line on a database file, as a tamperer would. */
final class Sqlite3 {
  private Sqlite3() {}

  static Path binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, "sqlite3");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return fail("the sqlite3 command line is not installed; install it: apt-get install sqlite3");
  }

  /** Runs {@code sql} against {@code db}; returns stdout. Fails the test on a non-zero exit. */
  static String run(Path db, String sql) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(binary().toString(), "-batch", "-bail", db.toString())
            .redirectErrorStream(true)
            .start();
    try {
      p.getOutputStream().write(sql.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sqlite3 did not finish");
      assertEquals(0, p.exitValue(), "sqlite3 failed: " + out);
      return out;
    } finally {
      p.destroyForcibly();
    }
  }
}
