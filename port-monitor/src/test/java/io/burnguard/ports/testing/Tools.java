package io.burnguard.ports.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the reference tools; a missing tool fails the test (installer/dev/setup.sh installs it). */
public final class Tools {
  private Tools() {}

  /** The tool's path, or a failed test naming the Debian package to install. */
  public static String require(String command, String debianPackage) {
    for (String dir : List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin")) {
      Path p = Path.of(dir, command);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return fail(
        command
            + " not found; it is the reference for this test. Install it with"
            + " installer/dev/setup.sh (Debian package "
            + debianPackage
            + ")");
  }

  /**
   * Result of a process.
   *
   * @param exit exit code
   * @param stdout standard output, ISO-8859-1 (byte strings)
   * @param stderr standard error
   */
  public record Run(int exit, String stdout, String stderr) {}

  /** Runs {@code command} with a 60 s deadline. */
  public static Run run(Path workDir, List<String> command)
      throws IOException, InterruptedException {
    return run(workDir, command, Map.of());
  }

  /** Runs {@code command} with extra environment variables and a 60 s deadline. */
  public static Run run(Path workDir, List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "out", ".txt");
    Path err = Files.createTempFile(workDir, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(command))
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(command + " did not finish within 60 s");
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.ISO_8859_1),
        Files.readString(err, StandardCharsets.ISO_8859_1));
  }
}
