package io.burnguard.ports.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A umockdev testbed that outlives the processes run in it (so a daemon can be restarted on the
 * same fake /sys), with uevents sent through umockdev's own API: {@code testbed.py} (test resource)
 * runs it under the preload library and takes commands on its stdin. Processes join it with {@link
 * #wrapper()}.
 */
public final class UmockdevTestbed implements AutoCloseable {
  private static final String PRELOAD = "libumockdev-preload.so.0";

  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final Path dir;

  private UmockdevTestbed(Process process, BufferedReader out, Writer in, Path dir) {
    this.process = process;
    this.out = out;
    this.in = in;
    this.dir = dir;
  }

  /** Starts a testbed holding {@code recording}; {@code work} receives the script. */
  public static UmockdevTestbed start(Path recording, Path work) throws IOException {
    Tools.require("umockdev-run", "umockdev");
    Path script = resource("/umockdev/testbed.py", work.resolve("testbed.py"));
    ProcessBuilder pb =
        new ProcessBuilder("/usr/bin/python3", script.toString(), recording.toString())
            .redirectError(work.resolve("testbed.err").toFile());
    pb.environment().put("LD_PRELOAD", PRELOAD);
    Process p = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Writer in = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
    String first = out.readLine();
    if (first == null || !first.startsWith("dir ")) {
      p.destroyForcibly();
      throw new IOException(
          "testbed.py did not start (needs gir1.2-umockdev-1.0 and python3-gi): "
              + first
              + "\n"
              + Files.readString(work.resolve("testbed.err")));
    }
    return new UmockdevTestbed(p, out, in, Path.of(first.substring(4)));
  }

  /** Copies a classpath resource to {@code target}. */
  public static Path resource(String name, Path target) throws IOException {
    try (InputStream s = UmockdevTestbed.class.getResourceAsStream(name)) {
      if (s == null) {
        throw new IOException("no test resource " + name);
      }
      Files.copy(s, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  /** The testbed's root (its /sys is {@code dir()/sys}). */
  public Path dir() {
    return dir;
  }

  /** A command prefix that runs a process in this testbed. */
  public List<String> wrapper() {
    return List.of("/usr/bin/env", "LD_PRELOAD=" + PRELOAD, "UMOCKDEV_DIR=" + dir);
  }

  /**
   * Loads {@code recording} and sends "add" for its first device; returns that device's /sys path.
   */
  public String add(Path recording) throws IOException {
    return command("add " + recording, "added ").substring("added ".length());
  }

  /** Sends {@code action} for the device at {@code sysPath} (/sys/...). */
  public void uevent(String action, String sysPath) throws IOException {
    command("uevent " + action + " " + sysPath, "sent");
  }

  /** Sends "remove" for the device and deletes it from the testbed. */
  public void remove(String sysPath) throws IOException {
    command("remove " + sysPath, "removed");
  }

  /** An attribute of a device as the testbed holds it, trimmed. */
  public String attribute(String sysPath, String name) throws IOException {
    return Files.readString(dir.resolve(sysPath.substring(1)).resolve(name)).trim();
  }

  private synchronized String command(String line, String expect) throws IOException {
    in.write(line + "\n");
    in.flush();
    String answer = out.readLine();
    if (answer == null || !answer.startsWith(expect)) {
      throw new IOException("testbed answered '" + answer + "' to '" + line + "'");
    }
    return answer;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      command("quit", "");
    } catch (IOException ended) {
      // already gone
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
