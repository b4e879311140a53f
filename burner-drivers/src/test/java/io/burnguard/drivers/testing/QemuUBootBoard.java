package io.burnguard.drivers.testing;

import io.burnguard.drivers.DriverEnvironment;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real U-Boot 2023.01 board: Debian's u-boot-qemu under {@code qemu-system-arm -M virt}.
 *
 * <p>The board's console is a pty ({@link #serialPath()}); its "eMMC" is a virtio block device
 * backed by {@link #flashFile()}; it also has 2 x 32 MiB of CFI NOR at 0x0 and 0x04000000. With
 * {@code network}, its Ethernet is a tap in a network namespace of its own ({@link #netns()}),
 * where the host side is {@link #SERVER_IP} and the board should use {@link #DEVICE_IP}.
 *
 * <p>The board starts powered off (QEMU {@code -S}); {@link #powerOn()} starts the CPU over QMP.
 * Tear-down always kills QEMU by PID and deletes the namespace. Usage:
 *
 * <pre>{@code
 * try (QemuUBootBoard b = QemuUBootBoard.start(tempDir, QemuUBootBoard.Options.tftp(16 << 20))) {
 *   b.powerOn();
 *   BurnerDrivers.named("uboot-tftp", b.environment()).burn(job(b.fixture()), ...);
 *   assertArrayEquals(image, b.flashBytes(0, image.length));
 * }
 * }</pre>
 *
 * Needs the Debian packages qemu-system-arm, u-boot-qemu and iproute2, and root (tap, netns).
 */
public final class QemuUBootBoard implements AutoCloseable {
  public static final String UBOOT = "/usr/lib/u-boot/qemu_arm/u-boot.bin";
  public static final String QEMU = "/usr/bin/qemu-system-arm";
  public static final String SERVER_IP = "10.0.0.1";
  public static final String DEVICE_IP = "10.0.0.2";
  private static final Pattern PTY = Pattern.compile("char device redirected to (/dev/pts/\\d+)");
  private static final AtomicInteger SEQ = new AtomicInteger();

  /**
   * @param flashBytes size of the virtio disk's backing file
   * @param network give the board a tap in its own network namespace
   */
  public record Options(long flashBytes, boolean network) {
    public static Options serial(long flashBytes) {
      return new Options(flashBytes, false);
    }

    public static Options tftp(long flashBytes) {
      return new Options(flashBytes, true);
    }
  }

  private final Path dir;
  private final Process qemu;
  private final NetNs netns;
  private final String pty;
  private final RandomAccessFile holder;
  private final long holderOpenedAt;
  private final Path qmp;

  private QemuUBootBoard(
      Path dir, Process qemu, NetNs netns, String pty, RandomAccessFile holder, Path qmp) {
    this.dir = dir;
    this.qemu = qemu;
    this.netns = netns;
    this.pty = pty;
    this.holder = holder;
    this.holderOpenedAt = System.nanoTime();
    this.qmp = qmp;
  }

  /**
   * Boots QEMU (paused) in {@code workDir}; fails with the package to install if one is missing.
   */
  public static QemuUBootBoard start(Path workDir, Options options) throws IOException {
    Exec.require(QEMU, "qemu-system-arm");
    Exec.require(UBOOT, "u-boot-qemu");
    Exec.require("/usr/sbin/ip", "iproute2");
    removeStaleNamespaces();
    Path dir = Files.createTempDirectory(workDir, "board");
    Path flash = dir.resolve("flash.img");
    try (RandomAccessFile f = new RandomAccessFile(flash.toFile(), "rw")) {
      f.setLength(options.flashBytes());
    }
    Path qmp = dir.resolve("qmp.sock");
    NetNs ns = null;
    List<String> cmd = new ArrayList<>();
    if (options.network()) {
      String name = "bgq-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
      ns = NetNs.create(name, "bgtap0", SERVER_IP + "/24");
      cmd.addAll(List.of("ip", "netns", "exec", name));
    }
    cmd.addAll(
        List.of(
            QEMU,
            "-M",
            "virt",
            "-m",
            "256",
            "-S",
            "-display",
            "none",
            "-monitor",
            "none",
            "-serial",
            "pty",
            "-qmp",
            "unix:" + qmp + ",server=on,wait=off",
            "-bios",
            UBOOT,
            "-drive",
            "if=none,format=raw,id=d0,file=" + flash,
            "-device",
            "virtio-blk-device,drive=d0"));
    if (options.network()) {
      cmd.addAll(
          List.of(
              "-netdev", "tap,id=n0,ifname=bgtap0,script=no,downscript=no",
              "-device", "virtio-net-device,netdev=n0"));
    } else {
      cmd.addAll(List.of("-nic", "none"));
    }
    Path log = dir.resolve("qemu.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      String pty = awaitPty(p, log);
      RandomAccessFile holder = new RandomAccessFile(pty, "rw");
      return new QemuUBootBoard(dir, p, ns, pty, holder, qmp);
    } catch (IOException | RuntimeException e) {
      p.destroyForcibly();
      if (ns != null) {
        ns.close();
      }
      throw e;
    }
  }

  private static String awaitPty(Process p, Path log) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      Matcher m = PTY.matcher(text);
      if (m.find()) {
        return m.group(1);
      }
      if (!p.isAlive()) {
        throw new IOException("QEMU exited (" + p.exitValue() + ") before its pty: " + text);
      }
      Thread.onSpinWait();
      try {
        p.waitFor(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    throw new IOException("QEMU printed no pty within 20 s: " + Files.readString(log));
  }

  /** Namespaces left by a test JVM that died before its tear-down. */
  private static void removeStaleNamespaces() {
    try {
      for (String line : Exec.run(List.of("ip", "netns", "list")).split("\n")) {
        Matcher m = Pattern.compile("^bgq-(\\d+)-\\d+").matcher(line.trim());
        if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
          Exec.run(List.of("ip", "netns", "del", m.group()));
        }
      }
    } catch (IOException e) {
      // best effort
    }
  }

  /**
   * Starts the CPU. QEMU notices a pty reader by polling once a second (char-pty.c), and drops the
   * board's output until it does; the holder fd opened at start is the reader, so power-on waits
   * until a full poll period has passed since it was opened.
   */
  public void powerOn() throws IOException {
    long readyAt = holderOpenedAt + TimeUnit.MILLISECONDS.toNanos(1200);
    while (System.nanoTime() < readyAt) {
      try {
        qemu.waitFor(Math.max(1, (readyAt - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    qmp("{\"execute\":\"cont\"}");
  }

  /** Stops the CPU (QMP stop): the board keeps its state and uses no host CPU until resumed. */
  public void pause() throws IOException {
    qmp("{\"execute\":\"stop\"}");
  }

  /** Starts the CPU again after {@link #pause()}. */
  public void resume() throws IOException {
    qmp("{\"execute\":\"cont\"}");
  }

  private void qmp(String command) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(qmp));
      String msg = "{\"execute\":\"qmp_capabilities\"}\n" + command + "\n";
      ch.write(ByteBuffer.wrap(msg.getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer in = ByteBuffer.allocate(8192);
      StringBuilder got = new StringBuilder();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      // Greeting, then one reply per command: wait for the second "return".
      while (System.nanoTime() < deadline && countReturns(got) < 2) {
        in.clear();
        if (ch.read(in) < 0) {
          break;
        }
        got.append(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
      }
      if (countReturns(got) < 2) {
        throw new IOException("QMP did not confirm " + command + ": " + got);
      }
    }
  }

  private static int countReturns(CharSequence s) {
    return s.toString().split("\"return\"", -1).length - 1;
  }

  /** The console pty. */
  public String serialPath() {
    return pty;
  }

  /** The virtio disk's backing file. */
  public Path flashFile() {
    return dir.resolve("flash.img");
  }

  public byte[] flashBytes(long offset, int length) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(flashFile().toFile(), "r")) {
      byte[] b = new byte[length];
      f.seek(offset);
      f.readFully(b);
      return b;
    }
  }

  /** The board's namespace (null without network). */
  public NetNs netns() {
    return netns;
  }

  public long pid() {
    return qemu.pid();
  }

  /** Fixture settings for this board (port, addresses; short timeouts for tests). */
  public Map<String, String> fixture() {
    Map<String, String> m = new HashMap<>();
    m.put("port", pty);
    m.put("baud", "115200");
    m.put("boot_timeout_s", "20");
    m.put("loadaddr", "0x40200000");
    m.put("readaddr", "0x44000000");
    if (netns != null) {
      m.put("device_ip", DEVICE_IP);
      m.put("server_ip", SERVER_IP);
      // the production path: the driver opens its TFTP sockets inside this namespace
      m.put("netns", netns.name());
    }
    return m;
  }

  /** The real clock and serial ports, with UDP sockets inside the board's namespace. */
  public DriverEnvironment environment() {
    DriverEnvironment env = DriverEnvironment.system();
    return netns == null ? env : env.withUdp(netns.udp());
  }

  /** Pulls the plug: QEMU dies, the pty goes away. */
  public void kill() {
    ProcessHandle.of(qemu.pid()).ifPresent(ProcessHandle::destroyForcibly);
    try {
      qemu.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** QEMU's own output, for failure messages. */
  public String log() {
    try {
      return Files.readString(dir.resolve("qemu.log"));
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    kill();
    try {
      holder.close();
    } catch (IOException e) {
      // pty already gone with QEMU
    }
    if (netns != null) {
      netns.close();
    }
  }
}
