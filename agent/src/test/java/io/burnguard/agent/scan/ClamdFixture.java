package io.burnguard.agent.scan;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A private clamd (Debian's clamav-daemon) for tests, the demo and other modules (shared through
 * agent's test-jar). Use from {@code @BeforeAll} and close in {@code @AfterAll}:
 *
 * <pre>{@code
 * try (ClamdFixture clamd = ClamdFixture.builder().start()) {
 *   ClamdClient c = new ClamdClient(clamd.settings(clamd.unixAddress()));
 * }
 * }</pre>
 *
 * <p>Design: everything lives in a temp dir: the config (Foreground, LocalSocket, TCPSocket on a
 * free 127.0.0.1 port), and a signature database generated here, never the system's. The database
 * is an unsigned {@code daily.cud} built with {@code sigtool --build --unsigned} so that VERSION
 * reports a database version and date (like freshclam's databases), holding an {@code .ndb} body
 * signature for EICAR (found at any offset of a large image) and {@code .hdb}/{@code .hsb} hashes
 * made with {@code sigtool --md5/--sha256} for files from clamav-testfiles. With {@code
 * dated(false)} the signatures are loose files and VERSION has no database version. The daemon is
 * stopped by its PID. It starts in well under a second with this small database.
 */
public final class ClamdFixture implements AutoCloseable {
  /** The EICAR test string. */
  public static final String EICAR =
      "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

  /** clamd appends {@code .UNOFFICIAL} to names from unsigned databases. */
  public static final String EICAR_SIGNATURE = "BurnGuard.Test.EICAR.UNOFFICIAL";

  /** Debian's clamav-testfiles. */
  public static final Path TESTFILES = Path.of("/usr/share/clamav-testfiles");

  /** The testfile the default database detects by MD5 hash. */
  public static final Path CLAM_EXE = TESTFILES.resolve("clam.exe");

  /** The name clamd reports for {@link #CLAM_EXE}. */
  public static final String CLAM_EXE_SIGNATURE = "BurnGuard.Test.ClamExe.UNOFFICIAL";

  static final Path CLAMD = Path.of("/usr/sbin/clamd");
  static final Path SIGTOOL = Path.of("/usr/bin/sigtool");

  /**
   * How long clamd may take to answer PING after start, or to show a reloaded database. Generous on
   * purpose: on a loaded two-core build machine loading even our tiny database has taken more than
   * 15 s. The wait polls the condition and returns as soon as it holds, so a fast machine pays
   * nothing for the margin.
   */
  private static final Duration START_DEADLINE = Duration.ofSeconds(180);

  private final Path dir;
  private final Builder options;
  private final Map<String, String> bodySignatures = new LinkedHashMap<>();
  private final int tcpPort;
  private long dbVersion;
  private Process process;

  /** Options; every one has a default. */
  public static final class Builder {
    private long streamMaxLength = 512L * 1024 * 1024;
    private long maxFileSize = 512L * 1024 * 1024;
    private boolean dated = true;

    /** clamd's StreamMaxLength (default 512 MiB). */
    public Builder streamMaxLength(long bytes) {
      this.streamMaxLength = bytes;
      return this;
    }

    /** clamd's MaxFileSize and MaxScanSize (default 512 MiB); AlertExceedsMax is on. */
    public Builder maxFileSize(long bytes) {
      this.maxFileSize = bytes;
      return this;
    }

    /** Whether the database is a dated .cud (default) or loose, undated local files. */
    public Builder dated(boolean dated) {
      this.dated = dated;
      return this;
    }

    /** Generates the database and starts clamd; returns once it answers PING. */
    public ClamdFixture start() throws IOException {
      return new ClamdFixture(this).launch();
    }
  }

  /** A builder with default options. */
  public static Builder builder() {
    return new Builder();
  }

  private ClamdFixture(Builder options) throws IOException {
    requireInstalled();
    this.options = options;
    this.dir = Files.createTempDirectory("bg-clamd");
    Files.createDirectories(dir.resolve("db"));
    Files.createDirectories(dir.resolve("tmp"));
    this.tcpPort = freePort();
    bodySignatures.put("BurnGuard.Test.EICAR", hex(EICAR.getBytes(StandardCharsets.US_ASCII)));
  }

  /** Fails with the packages to install when clamd's tools are missing (never skips). */
  public static void requireInstalled() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(CLAMD)) {
      missing.add(CLAMD + " (apt-get install clamav-daemon)");
    }
    if (!Files.isExecutable(SIGTOOL)) {
      missing.add(SIGTOOL + " (apt-get install clamav)");
    }
    if (!Files.isRegularFile(CLAM_EXE)) {
      missing.add(CLAM_EXE + " (apt-get install clamav-testfiles)");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "the clamd test fixture needs: " + String.join(", ", missing));
    }
  }

  private ClamdFixture launch() throws IOException {
    dbVersion = 1;
    writeDatabase();
    writeConfig();
    startProcess();
    return this;
  }

  /** The Unix socket address. */
  public ClamdAddress unixAddress() {
    return ClamdAddress.unix(dir.resolve("clamd.sock"));
  }

  /** The TCP address on 127.0.0.1. */
  public ClamdAddress tcpAddress() {
    return ClamdAddress.tcp("127.0.0.1", tcpPort);
  }

  /** Settings with short test timeouts (2 s connect, 5 s read, 60 s total). */
  public ClamdSettings settings(ClamdAddress address) {
    return ClamdSettings.of(address)
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  /** The fixture's directory (config, db, log). */
  public Path dir() {
    return dir;
  }

  /** The database version VERSION reports now (dated databases only). */
  public long databaseVersion() {
    return dbVersion;
  }

  /** clamd's PID. */
  public long pid() {
    return process.pid();
  }

  /**
   * Adds an {@code .ndb} body signature ({@code name} matches {@code body} at any offset), builds
   * the next database version, asks clamd to RELOAD and waits until VERSION shows it.
   */
  public void addBodySignature(String name, byte[] body) throws IOException, ScanException {
    if (!options.dated) {
      throw new IllegalStateException("reloads are observable only with a dated database");
    }
    bodySignatures.put(name, hex(body));
    dbVersion++;
    writeDatabase();
    ClamdClient client = new ClamdClient(settings(unixAddress()));
    client.reload();
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (client.version().dbVersion() != dbVersion) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "clamd did not load database version " + dbVersion + "; log:\n" + logTail());
      }
      pause();
    }
  }

  /** Stops clamd gracefully (SIGTERM to its PID) and waits for it to exit. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitExit();
    }
  }

  /** Kills clamd at once (SIGKILL to its PID), as a crash would. */
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      waitExit();
    }
  }

  /** The last lines of clamd's log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("clamd.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws IOException {
    kill();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void waitExit() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeConfig() throws IOException {
    String conf =
        String.join(
            "\n",
            "Foreground yes",
            "LocalSocket " + dir.resolve("clamd.sock"),
            "TCPSocket " + tcpPort,
            "TCPAddr 127.0.0.1",
            "DatabaseDirectory " + dir.resolve("db"),
            "TemporaryDirectory " + dir.resolve("tmp"),
            "PidFile " + dir.resolve("clamd.pid"),
            "LogFile " + dir.resolve("clamd.log"),
            "StreamMaxLength " + options.streamMaxLength,
            "MaxFileSize " + options.maxFileSize,
            "MaxScanSize " + options.maxFileSize,
            "AlertExceedsMax yes",
            "Bytecode no",
            "MaxThreads 4",
            "");
    Files.writeString(dir.resolve("clamd.conf"), conf, StandardCharsets.UTF_8);
  }

  private void startProcess() throws IOException {
    process =
        new ProcessBuilder(CLAMD.toString(), "-c", dir.resolve("clamd.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("clamd.out").toFile())
            .start();
    ClamdClient client = new ClamdClient(settings(unixAddress()));
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "clamd exited with status "
                + process.exitValue()
                + " while starting; log:\n"
                + logTail()
                + "\n"
                + Files.readString(dir.resolve("clamd.out")));
      }
      try {
        client.ping();
        return;
      } catch (ScanException e) {
        if (System.nanoTime() > deadline) {
          kill();
          throw new IllegalStateException(
              "clamd did not answer PING within "
                  + START_DEADLINE
                  + ": "
                  + e.getMessage()
                  + "; log:\n"
                  + logTail(),
              e);
        }
        pause();
      }
    }
  }

  private void writeDatabase() throws IOException {
    Path build = Files.createTempDirectory(dir, "build");
    StringBuilder ndb = new StringBuilder();
    // .ndb: Name:TargetType:Offset:HexSignature; target 0 = any file, offset * = anywhere.
    bodySignatures.forEach((n, h) -> ndb.append(n).append(":0:*:").append(h).append('\n'));
    String prefix = options.dated ? "daily" : "burnguard";
    Files.writeString(build.resolve(prefix + ".ndb"), ndb, StandardCharsets.US_ASCII);
    Files.writeString(
        build.resolve(prefix + ".hdb"),
        hashSignature("--md5", CLAM_EXE, "BurnGuard.Test.ClamExe"),
        StandardCharsets.US_ASCII);
    Files.writeString(
        build.resolve(prefix + ".hsb"),
        hashSignature("--sha256", TESTFILES.resolve("clam.7z"), "BurnGuard.Test.Clam7z"),
        StandardCharsets.US_ASCII);
    Path db = dir.resolve("db");
    if (options.dated) {
      Files.writeString(build.resolve("COPYING"), "BurnGuard test signatures\n");
      run(
          build,
          "burnguard-test\n",
          SIGTOOL.toString(),
          "--datadir=" + build,
          "--build=daily.cud",
          "--unsigned",
          "--cvd-version=" + dbVersion,
          "--no-cdiff");
      Files.move(
          build.resolve("daily.cud"), db.resolve("daily.cud"), StandardCopyOption.REPLACE_EXISTING);
    } else {
      for (String ext : List.of(".ndb", ".hdb", ".hsb")) {
        Files.move(
            build.resolve(prefix + ext),
            db.resolve(prefix + ext),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** {@code sigtool --md5 FILE} prints {@code hash:size:file}; the name is replaced by ours. */
  private String hashSignature(String kind, Path file, String name) throws IOException {
    String out = run(dir, "", SIGTOOL.toString(), kind, file.toString()).strip();
    int cut = out.lastIndexOf(':');
    if (cut < 0) {
      throw new IOException("unexpected sigtool output: " + out);
    }
    return out.substring(0, cut + 1) + name + "\n";
  }

  private static String run(Path cwd, String input, String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    try {
      p.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(
            String.format(Locale.ROOT, "%s failed: %s", String.join(" ", cmd), out));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted running " + cmd[0], e);
    }
  }

  /** A short pause between polls of a condition that has a deadline. */
  private static void pause() {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
