package io.burnguard.agent.parts;

import io.burnguard.agent.parts.SanitizeException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates the file system with {@code mkfs.vfat} or {@code mkfs.exfat}, run from the system's sbin
 * directories (never from a PATH the caller controls), with a deadline. The first line the tool
 * prints names it and its version ({@code mkfs.fat 4.2 (2021-01-31)}, {@code exfatprogs version :
 * 1.2.0}); it goes into the certificate.
 */
final class Formatter {
  private static final List<Path> DIRS =
      List.of(Path.of("/usr/sbin"), Path.of("/sbin"), Path.of("/usr/bin"), Path.of("/bin"));
  private static final long DEADLINE_MINUTES = 30;
  private static final int MAX_OUTPUT = 16 * 1024;

  private Formatter() {}

  /** The tool's version line. */
  static String format(Path device, FileSystemType fs, String label, boolean wholeDevice)
      throws SanitizeException {
    List<String> cmd = new ArrayList<>();
    cmd.add(locate(fs.mkfs()).toString());
    if (fs == FileSystemType.VFAT) {
      if (wholeDevice) {
        cmd.add("-I"); // a part is formatted whole, without a partition table
      }
      cmd.add("-n");
    } else {
      cmd.add("-L");
    }
    cmd.add(label);
    cmd.add(device.toString());
    String out = run(cmd);
    String first = out.lines().findFirst().orElse("").strip();
    return first.isEmpty() ? fs.mkfs() : first;
  }

  static Path locate(String tool) throws SanitizeException {
    for (Path d : DIRS) {
      Path p = d.resolve(tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new SanitizeException(
        Reason.FORMAT_FAILED,
        tool + " not found in " + DIRS + " (install dosfstools/exfatprogs)",
        null);
  }

  private static String run(List<String> cmd) throws SanitizeException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new SanitizeException(Reason.FORMAT_FAILED, "cannot start " + cmd.get(0) + ": " + e, e);
    }
    try (InputStream in = p.getInputStream()) {
      p.getOutputStream().close();
      byte[] out = in.readNBytes(MAX_OUTPUT);
      in.transferTo(java.io.OutputStream.nullOutputStream());
      if (!p.waitFor(DEADLINE_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new SanitizeException(
            Reason.FORMAT_FAILED,
            cmd.get(0) + " did not finish in " + DEADLINE_MINUTES + " min",
            null);
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new SanitizeException(
            Reason.FORMAT_FAILED,
            String.join(" ", cmd) + " exited " + p.exitValue() + ": " + text.strip(),
            null);
      }
      return text;
    } catch (IOException e) {
      p.destroyForcibly();
      throw new SanitizeException(Reason.FORMAT_FAILED, cmd.get(0) + " failed: " + e, e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SanitizeException(
          Reason.INTERRUPTED, "interrupted while " + cmd.get(0) + " ran", e);
    }
  }
}
