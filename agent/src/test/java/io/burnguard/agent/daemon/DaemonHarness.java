package io.burnguard.agent.daemon;

import io.burnguard.agent.doctor.StationTrust;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real BurnGuard daemon in a temporary station directory, driven through the real {@code
 * burnguard} launcher of the built app directory (system property {@code burnguard.app}, set by
 * failsafe). Shared with other modules' end-to-end tests through agent's test-jar.
 *
 * <p>The station directory is world-traversable (0755) and holds its own copy of the app, so a test
 * can run the CLI as another OS user (e.g. {@code nobody} with runuser) even when the build tree
 * sits in a private directory.
 */
public final class DaemonHarness implements AutoCloseable {
  /** What a CLI run printed and returned. */
  public record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Path root;
  private final Path app;
  private final Path config;
  private String clamd;
  private String serverAndTrust;
  private Process daemon;
  private List<String> wrapper = List.of();

  /**
   * @param root an empty directory for the station
   * @param clamd the clamd address for station.yaml (e.g. a ClamdFixture's unix address)
   * @param extraYaml lines appended to the generated station.yaml
   * @param roles the roles: section body, e.g. {@code " root: engineer\n"}
   * @param socketGroup the socket group, or null
   */
  public DaemonHarness(Path root, String clamd, String roles, String socketGroup, String extraYaml)
      throws IOException {
    this.root = root;
    this.clamd = clamd;
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    // A healthy station by default: the trust files station.yaml names exist (doctor checks them).
    StationTrust.write(root);
    this.app = copyApp(root.resolve("app"));
    this.config = root.resolve("station.yaml");
    this.serverAndTrust =
        "server:\n"
            + "  url: https://127.0.0.1:1/bg\n"
            + "  caFile: "
            + root.resolve("server-ca.pem")
            + "\n"
            + "trust:\n"
            + "  releaseRoot: "
            + root.resolve("release-root.pem")
            + "\n"
            + "  crlDir: "
            + root.resolve("crl")
            + "\n"
            + "  signers: [\"Signer A\"]\n";
    writeConfig(roles, socketGroup, extraYaml);
  }

  /**
   * Sets the {@code server:} and {@code trust:} sections (YAML text) used by the next {@link
   * #writeConfig}; e.g. those of a {@code ReleaseKit}.
   */
  public void serverAndTrust(String yaml) {
    this.serverAndTrust = yaml;
  }

  /** Sets the clamd address used by the next {@link #writeConfig}. */
  public void clamd(String address) {
    this.clamd = address;
  }

  /** Writes station.yaml again (for restart tests with a changed config). */
  public void writeConfig(String roles, String socketGroup, String extraYaml) throws IOException {
    String yaml =
        "station:\n"
            + "  id: test-station\n"
            + "  dataDir: "
            + dataDir()
            + "\n"
            + "  socket: "
            + socket()
            + "\n"
            + (socketGroup == null ? "" : "  socketGroup: " + socketGroup + "\n")
            + "roles:\n"
            + roles
            + serverAndTrust
            + "scanner:\n"
            + "  clamd: "
            + clamd
            + "\n"
            + extraYaml;
    Files.writeString(config, yaml, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
  }

  public Path config() {
    return config;
  }

  /**
   * Runs the daemon and the CLI under {@code command} from now on, e.g. {@code umockdev-run -d REC
   * --} so that they see a recorded USB bus as /sys (the port monitor's tests).
   */
  public void wrapWith(List<String> command) {
    this.wrapper = List.copyOf(command);
  }

  private List<String> wrapped(List<String> command) {
    List<String> all = new ArrayList<>(wrapper);
    all.addAll(command);
    return all;
  }

  public Path dataDir() {
    return root.resolve("data");
  }

  public Path socket() {
    return root.resolve("run/control.sock");
  }

  public Path launcher() {
    return app.resolve("bin/burnguard");
  }

  /** Starts the daemon and waits until its socket answers. */
  public void start() throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                wrapped(
                    List.of(launcher().toString(), "agent", "run", "--config", config.toString())))
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("daemon.out").toFile());
    daemon = pb.start();
    // Generous: a loaded build machine starts a JVM slowly; the wait ends as soon as it answers.
    boolean up = waitFor(Duration.ofSeconds(120), () -> answers() || !daemon.isAlive());
    if (!up || !daemon.isAlive()) {
      throw new IllegalStateException("daemon did not start:\n" + daemonOutput());
    }
  }

  private boolean answers() {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket()));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Starts the daemon and returns its exit status when it refuses to start. */
  public Run startExpectingFailure() throws IOException, InterruptedException {
    return run(
        wrapped(List.of(launcher().toString(), "agent", "run", "--config", config.toString())),
        null);
  }

  /** The daemon's combined output so far. */
  public String daemonOutput() throws IOException {
    Path f = root.resolve("daemon.out");
    return Files.exists(f) ? Files.readString(f) : "";
  }

  /** The daemon process (for signals and kill tests). */
  public Process process() {
    return daemon;
  }

  /** Sends SIGTERM and returns the exit status. */
  public int stop() throws InterruptedException {
    if (daemon == null) {
      return -1;
    }
    daemon.destroy();
    if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
      daemon.destroyForcibly().waitFor();
      throw new IllegalStateException("daemon ignored SIGTERM for 30 s");
    }
    return daemon.exitValue();
  }

  /** Runs the CLI as the current user with {@code --config} pointing at this station. */
  public Run cli(String... args) throws IOException, InterruptedException {
    return cliAs(null, args);
  }

  /**
   * Runs the CLI as {@code user} (via runuser, with that user's groups), or as the current user
   * when null.
   */
  public Run cliAs(String user, String... args) throws IOException, InterruptedException {
    return cliAsWithGroup(user, null, args);
  }

  /**
   * Runs the CLI as {@code user} with {@code extraGroup} added to its process groups (so it can
   * reach a socket of that group); its roles still come from the account database.
   */
  public Run cliAsWithGroup(String user, String extraGroup, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (user != null) {
      // runuser sets the user's primary and supplementary groups from the account database.
      cmd.addAll(List.of("runuser", "-u", user));
      if (extraGroup != null) {
        cmd.addAll(List.of("-G", extraGroup));
      }
      cmd.add("--");
    }
    cmd.addAll(wrapped(List.of(launcher().toString())));
    cmd.addAll(List.of(args));
    return run(cmd, user);
  }

  /**
   * Runs the CLI as {@code user} with the primary group {@code primaryGroup} (runuser -g: the peer
   * credentials' gid, so its role counts besides the account's groups) and {@code extraGroup}
   * added, e.g. to give one person two roles.
   */
  public Run cliAsWithPrimaryGroup(
      String user, String primaryGroup, String extraGroup, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("runuser", "-u", user, "-g", primaryGroup));
    if (extraGroup != null) {
      cmd.addAll(List.of("-G", extraGroup));
    }
    cmd.add("--");
    cmd.add(launcher().toString());
    cmd.addAll(List.of(args));
    return run(cmd, user);
  }

  /** Starts the CLI as {@code user} (or the current user when null) without waiting for it. */
  public Process startCliAs(String user, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (user != null) {
      cmd.addAll(List.of("runuser", "-u", user, "--"));
    }
    cmd.add(launcher().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("BURNGUARD_CONFIG", config.toString());
    return pb.start();
  }

  private Run run(List<String> cmd, String user) throws IOException, InterruptedException {
    Path out = Files.createTempFile(root, "out", ".txt");
    Path err = Files.createTempFile(root, "err", ".txt");
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-rw-rw-"));
    Files.setPosixFilePermissions(err, PosixFilePermissions.fromString("rw-rw-rw-"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("BURNGUARD_CONFIG", config.toString());
    pb.environment().remove("BURNGUARD_SOCKET");
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IllegalStateException("CLI did not finish within 60 s: " + cmd);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Polls {@code condition} until it holds or the deadline passes; never a blind sleep. */
  public static boolean waitFor(Duration deadline, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  private static Path copyApp(Path dest) throws IOException {
    String prop = System.getProperty("burnguard.app");
    if (prop == null) {
      throw new IllegalStateException(
          "system property burnguard.app is not set; run this test with `mvn verify` (failsafe"
              + " sets it to agent/target/burnguard)");
    }
    Path src = Path.of(prop);
    if (!Files.isExecutable(src.resolve("bin/burnguard"))) {
      throw new IllegalStateException("no built app at " + src + "; run `mvn package` first");
    }
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path t = dest.resolve(src.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
          Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
          Files.copy(f, t);
          Files.setPosixFilePermissions(
              t,
              PosixFilePermissions.fromString(Files.isExecutable(f) ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    return dest;
  }

  @Override
  public void close() throws InterruptedException {
    if (daemon != null && daemon.isAlive()) {
      daemon.destroy();
      if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
        daemon.destroyForcibly().waitFor();
      }
    }
  }
}
