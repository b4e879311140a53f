package io.burnguard.agent.vetting;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code openssl} binary (apt package openssl) for interop tests. */
public final class Openssl {
  private Openssl() {}

  /** Result of one run. */
  public record Result(int exit, String output) {}

  /** Fails (not skips) when openssl is missing: CI installs it. */
  public static void require() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "openssl"))) {
        return;
      }
    }
    fail("the openssl binary is not on PATH; install the Debian package 'openssl'");
  }

  /** Runs {@code openssl args...} with a deadline; returns exit code and merged output. */
  public static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        fail("openssl did not finish within 60 s: " + cmd);
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }
}
