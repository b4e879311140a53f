package io.burnguard.drivers.bench;

import io.burnguard.drivers.testing.NetNs;
import io.burnguard.drivers.testing.QemuUBootBoard;
import io.burnguard.drivers.tftp.TftpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our TFTP server against Debian's tftpd-hpa, both serving the same file on the board's tap, in the
 * board's network namespace, to the same {@code tftpboot}.
 *
 * <p>U-Boot's client decides what it asks for: its env {@code tftpblocksize} and {@code
 * tftpwindowsize} are set once per configuration and hold for both servers. The clock covers the
 * {@code tftpboot} command from sending it to the prompt after it (host side), and U-Boot's own
 * rate line is kept for the notes. tftpd-hpa is started for each of its rounds and killed by PID
 * afterwards, because both servers need port 69 on the same address.
 */
final class TftpVsHpa {
  static final String HPA = "/usr/sbin/in.tftpd";
  private static final Pattern RATE = Pattern.compile("([0-9.]+ [KM]iB/s)");

  /** One tftpboot: host seconds and U-Boot's reported rate. */
  record Run(double seconds, String ubootRate) {}

  private final BenchBoard board;
  private final NetNs ns;
  private final Path root;
  private final String fileName = "fw16.bin";
  private final byte[] image;
  private final Path log;

  TftpVsHpa(BenchBoard board, Path workDir, byte[] image) throws IOException {
    this.board = board;
    this.ns = board.board().netns();
    this.image = image;
    // tftpd-hpa chroots here and drops to user tftp: the directory and file must be readable.
    this.root = Files.createDirectories(workDir.resolve("tftproot"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path f = root.resolve(fileName);
    Files.write(f, image);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    this.log = workDir.resolve("tftpd-hpa.log");
  }

  /** Sets what U-Boot will ask every server for. */
  void clientAsks(int blockSize, int windowSize) throws IOException {
    board.run("setenv ipaddr " + QemuUBootBoard.DEVICE_IP, 10);
    board.run("setenv serverip " + QemuUBootBoard.SERVER_IP, 10);
    board.run("setenv netmask 255.255.255.0", 10);
    board.run("setenv tftpblocksize " + blockSize, 10);
    board.run("setenv tftpwindowsize " + windowSize, 10);
  }

  Run ours(int maxBlockSize, int maxWindowSize) throws IOException {
    TftpServer.Config cfg =
        new TftpServer.Config(
            new InetSocketAddress(InetAddress.getByName(QemuUBootBoard.SERVER_IP), 69),
            InetAddress.getByName(QemuUBootBoard.DEVICE_IP),
            fileName,
            maxBlockSize,
            maxWindowSize,
            Duration.ofMillis(500),
            8);
    board.poison(image.length);
    try (TftpServer srv =
        TftpServer.start(
            cfg,
            () -> Files.newInputStream(root.resolve(fileName)),
            image.length,
            ns.udp(),
            (a, b) -> {})) {
      return tftpboot();
    }
  }

  Run hpa() throws IOException, InterruptedException {
    board.poison(image.length);
    Process p =
        new ProcessBuilder(
                List.of(
                    "ip",
                    "netns",
                    "exec",
                    ns.name(),
                    HPA,
                    "--foreground",
                    "--address",
                    QemuUBootBoard.SERVER_IP + ":69",
                    "--secure",
                    root.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      awaitListening(p);
      return tftpboot();
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void awaitListening(Process p) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("tftpd-hpa exited " + p.exitValue() + "; see " + log);
      }
      if (ns.exec("ss", "-Hlun", "sport = :69").contains(QemuUBootBoard.SERVER_IP + ":69")) {
        return;
      }
      p.waitFor(20, TimeUnit.MILLISECONDS);
    }
    throw new IOException("tftpd-hpa did not listen on port 69 within 10 s; see " + log);
  }

  private Run tftpboot() throws IOException {
    long t0 = System.nanoTime();
    String out = board.run("tftpboot " + BenchBoard.LOADADDR + " " + fileName, 300);
    double s = BenchBoard.seconds(System.nanoTime() - t0);
    board.checkRam(image);
    Matcher m = RATE.matcher(out);
    String rate = "";
    while (m.find()) {
      rate = m.group(1);
    }
    return new Run(s, rate);
  }
}
