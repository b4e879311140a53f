package io.burnguard.agent.parts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real tools the parts tests need (losetup, mount, mtools, fsck), with a deadline. */
final class Sh {
  /** The outcome of a command. */
  record Result(int exit, String output) {}

  private Sh() {}

  static Result run(String... cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("MTOOLS_SKIP_CHECK", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish in 120 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return new Result(p.exitValue(), out);
  }

  /** Runs {@code cmd} and fails with its output unless it exits 0. */
  static String ok(String... cmd) throws IOException {
    Result r = run(cmd);
    if (r.exit() != 0) {
      throw new IOException(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.output());
    }
    return r.output();
  }

  static boolean isRoot() throws IOException {
    return "0".equals(ok("id", "-u").strip());
  }

  /** A loop device over an image file, detached on close. */
  static final class Loop implements AutoCloseable {
    final Path device;

    Loop(Path image) throws IOException {
      this.device = Path.of(ok("losetup", "-f", "--show", image.toString()).strip());
    }

    @Override
    public void close() throws IOException {
      ok("losetup", "-d", device.toString());
    }
  }

  /** Whether {@code needle} occurs anywhere in the file (read in 1 MiB steps, with overlap). */
  static boolean contains(Path file, byte[] needle) throws IOException {
    byte[] all = Files.readAllBytes(file);
    outer:
    for (int i = 0; i + needle.length <= all.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (all[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
