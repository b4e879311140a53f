package io.burnguard.agent.alerts;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code rsyslogd} with a private config in a directory: a unix datagram socket, UDP and TCP
 * on 127.0.0.1, everything written to {@code out.log} in RFC 5424 form
 * (RSYSLOG_SyslogProtocol23Format). Installed by installer/dev/setup.sh.
 */
public final class RsyslogFixture implements AutoCloseable {
  private final Path dir;
  private final int udpPort;
  private final int tcpPort;
  private final Process process;

  private RsyslogFixture(Path dir, int udpPort, int tcpPort, Process process) {
    this.dir = dir;
    this.udpPort = udpPort;
    this.tcpPort = tcpPort;
    this.process = process;
  }

  /** Starts rsyslogd in {@code dir} and waits until its unix socket and TCP port are up. */
  public static RsyslogFixture start(Path dir) throws IOException, InterruptedException {
    Path rsyslogd = Path.of("/usr/sbin/rsyslogd");
    if (!Files.isExecutable(rsyslogd)) {
      throw new IllegalStateException(
          "rsyslogd not found; install it with installer/dev/setup.sh (Debian package rsyslog)");
    }
    int udp = freePort();
    int tcp = freePort();
    Path conf = dir.resolve("rsyslog.conf");
    Files.writeString(
        conf,
        "global(workDirectory=\""
            + dir
            + "\")\n"
            + "module(load=\"imuxsock\" SysSock.Use=\"off\")\n"
            + "input(type=\"imuxsock\" Socket=\""
            + dir.resolve("log.sock")
            + "\" UseSpecialParser=\"off\" ParseHostname=\"on\")\n"
            + "module(load=\"imudp\")\n"
            + "input(type=\"imudp\" port=\""
            + udp
            + "\" address=\"127.0.0.1\")\n"
            + "module(load=\"imtcp\")\n"
            + "input(type=\"imtcp\" port=\""
            + tcp
            + "\" address=\"127.0.0.1\")\n"
            + "*.* action(type=\"omfile\" file=\""
            + dir.resolve("out.log")
            + "\" template=\"RSYSLOG_SyslogProtocol23Format\")\n");
    Process p =
        new ProcessBuilder(
                List.of(
                    rsyslogd.toString(),
                    "-n",
                    "-f",
                    conf.toString(),
                    "-i",
                    dir.resolve("rsyslogd.pid").toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("rsyslogd.out").toFile())
            .start();
    RsyslogFixture f = new RsyslogFixture(dir, udp, tcp, p);
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!(Files.exists(f.unixSocket()) && f.tcpUp())) {
      if (!p.isAlive() || System.nanoTime() > end) {
        f.close();
        throw new IllegalStateException(
            "rsyslogd did not start: " + Files.readString(dir.resolve("rsyslogd.out")));
      }
      Thread.sleep(20);
    }
    return f;
  }

  private boolean tcpUp() {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", tcpPort)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public Path unixSocket() {
    return dir.resolve("log.sock");
  }

  public int udpPort() {
    return udpPort;
  }

  public int tcpPort() {
    return tcpPort;
  }

  /** Waits up to 20 s for a received line containing {@code text}; returns it or null. */
  public String awaitLine(String text) throws IOException, InterruptedException {
    Path out = dir.resolve("out.log");
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    do {
      if (Files.exists(out)) {
        for (String line : Files.readAllLines(out)) {
          if (line.contains(text)) {
            return line;
          }
        }
      }
      Thread.sleep(50);
    } while (System.nanoTime() < end);
    return null;
  }

  /** Everything received so far. */
  public String received() throws IOException {
    Path out = dir.resolve("out.log");
    return Files.exists(out) ? Files.readString(out) : "";
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
