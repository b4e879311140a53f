package io.burnguard.drivers.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Two connected raw ptys from socat, for talking to lrzsz or a relay. Killed by PID on close. */
public final class PtyPair implements AutoCloseable {
  private final Process socat;
  private final Path a;
  private final Path b;

  private PtyPair(Process socat, Path a, Path b) {
    this.socat = socat;
    this.a = a;
    this.b = b;
  }

  public static PtyPair open(Path dir, String name) throws IOException {
    Exec.require("/usr/bin/socat", "socat");
    Path a = dir.resolve(name + "-a");
    Path b = dir.resolve(name + "-b");
    Process p =
        new ProcessBuilder(List.of("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + "-socat.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(Files.exists(a) && Files.exists(b))) {
      if (System.nanoTime() > deadline || !p.isAlive()) {
        p.destroyForcibly();
        throw new IOException("socat did not create " + a + " and " + b);
      }
      try {
        p.waitFor(10, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    return new PtyPair(p, a, b);
  }

  public String a() {
    return a.toString();
  }

  public String b() {
    return b.toString();
  }

  @Override
  public void close() {
    ProcessHandle.of(socat.pid()).ifPresent(ProcessHandle::destroyForcibly);
    try {
      socat.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
