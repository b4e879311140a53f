package io.burnguard.agent.fleet;

import io.burnguard.agent.testing.TestCerts;
import io.burnguard.agent.testing.TestCerts.Issued;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * A private PostgreSQL for tests (issue 16, "How to test"): initdb in a temp directory, TLS on with
 * a CA, server and client certificates made here ({@link TestCerts}), {@code hostssl ... cert}
 * only, on a free port; started and stopped with pg_ctl as an unprivileged user (nobody when run as
 * root). Fails loudly when PostgreSQL's server binaries are missing (installer/dev/setup.sh
 * installs them).
 */
final class PrivatePostgres implements AutoCloseable {
  static final String ADMIN = "bg_admin";

  final Path dir;
  final Path data;
  final Path certs;
  final int port;
  private final Path bin;
  private final boolean root;
  private Issued ca;

  private PrivatePostgres(Path dir, Path bin, int port, boolean root) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.certs = dir.resolve("certs");
    this.bin = bin;
    this.port = port;
    this.root = root;
  }

  static Path binaries() {
    List<Path> candidates = new ArrayList<>();
    for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
      candidates.add(Path.of(p));
    }
    try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
      s.sorted(Comparator.reverseOrder()).forEach(v -> candidates.add(v.resolve("bin")));
    } catch (IOException ignored) {
      // not the Debian layout
    }
    for (Path c : candidates) {
      if (Files.isExecutable(c.resolve("initdb")) && Files.isExecutable(c.resolve("pg_ctl"))) {
        return c.toAbsolutePath();
      }
    }
    throw new IllegalStateException(
        "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in"
            + " /usr/lib/postgresql/*/bin; install the Debian package postgresql"
            + " (installer/dev/setup.sh does)");
  }

  /**
   * Starts a server with the fleet schema, a login {@code role} in {@code group} (e.g. {@code
   * burnguard_security}) and that role's client certificate: the set-up of the fleet ITs.
   */
  static PrivatePostgres startWithReader(String role, String group) throws Exception {
    PrivatePostgres pg = start();
    try (Connection c = pg.admin();
        Statement st = c.createStatement()) {
      FleetSchema.migrate(c);
      st.execute("CREATE ROLE " + role + " LOGIN IN ROLE " + group);
    }
    pg.makeClient(role);
    return pg;
  }

  /** Creates, configures and starts the server; removes everything again when that fails. */
  static PrivatePostgres start() throws Exception {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("bg-fleet-pg");
    PrivatePostgres pg = new PrivatePostgres(dir, bin, freePort(), root);
    try {
      pg.create();
      return pg;
    } catch (Exception | Error e) {
      try {
        pg.close();
      } catch (Exception cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private void create() throws Exception {
    Files.createDirectories(certs);
    makeServerCerts();
    makeClient(ADMIN);
    if (root) {
      UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(dir, users.lookupPrincipalByName("nobody"));
      try (Stream<Path> s = Files.walk(certs)) {
        for (Path p : s.toList()) {
          Files.setOwner(p, users.lookupPrincipalByName("nobody"));
        }
      }
    }
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            ADMIN,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync"));
    configure();
    startServer();
  }

  /** The CA ({@code ca.pem}) and a server certificate and key for localhost and 127.0.0.1. */
  private void makeServerCerts() throws Exception {
    ca = TestCerts.certificate("CN=fleet test CA", TestCerts.ec()).ca().selfSigned();
    Issued server =
        TestCerts.certificate("CN=localhost", TestCerts.ec())
            .dnsName("localhost")
            .ipAddress("127.0.0.1")
            .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth)
            .signedBy(ca);
    TestCerts.writePem(certs.resolve("ca.pem"), ca.cert());
    TestCerts.writePem(certs.resolve("server.pem"), server.cert());
    String pkcs8 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(server.keys().getPrivate().getEncoded());
    Files.writeString(
        certs.resolve("server.key"),
        "-----BEGIN PRIVATE KEY-----\n" + pkcs8 + "\n-----END PRIVATE KEY-----\n",
        StandardCharsets.US_ASCII);
    setPrivate(certs.resolve("server.key"));
  }

  /**
   * Makes {@code <role>.pem} (CN = role, signed by the CA) and its key as PKCS#8 DER {@code
   * <role>.pk8}, the form the PostgreSQL JDBC driver reads.
   */
  void makeClient(String role) throws Exception {
    Issued client =
        TestCerts.certificate("CN=" + role, TestCerts.ec())
            .extendedKeyUsage(KeyPurposeId.id_kp_clientAuth)
            .signedBy(ca);
    TestCerts.writePem(certs.resolve(role + ".pem"), client.cert());
    Files.write(certs.resolve(role + ".pk8"), client.keys().getPrivate().getEncoded());
    setPrivate(certs.resolve(role + ".pk8"));
  }

  private void configure() throws IOException {
    String conf =
        "\nport = "
            + port
            + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '"
            + dir
            + "'\nssl = on\nssl_cert_file = '"
            + certs.resolve("server.pem")
            + "'\nssl_key_file = '"
            + certs.resolve("server.key")
            + "'\nssl_ca_file = '"
            + certs.resolve("ca.pem")
            + "'\nfsync = off\nmax_connections = 60\n";
    Files.writeString(
        data.resolve("postgresql.conf"),
        conf,
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(
        data.resolve("pg_hba.conf"),
        "local all all trust\nhostssl all all 127.0.0.1/32 cert\n",
        StandardCharsets.UTF_8);
  }

  void startServer() throws IOException, InterruptedException {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "start"));
  }

  /** Stops like a crash or a pulled cable: {@code pg_ctl stop -m immediate}. */
  void stopImmediately() throws IOException, InterruptedException {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-m",
            "immediate",
            "-w",
            "stop"));
  }

  String url() {
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  FleetConnection as(String role) {
    return new FleetConnection(
        url(),
        role,
        certs.resolve(role + ".pem"),
        certs.resolve(role + ".pk8"),
        certs.resolve("ca.pem"));
  }

  /**
   * The {@code fleet:} section of station.yaml for {@code role}, shipping every {@code interval}.
   */
  String fleetYaml(String role, String interval) {
    return "fleet:\n"
        + "  jdbcUrl: "
        + url()
        + "\n  role: "
        + role
        + "\n  clientCert: "
        + certs.resolve(role + ".pem")
        + "\n  clientKey: "
        + certs.resolve(role + ".pk8")
        + "\n  serverCa: "
        + certs.resolve("ca.pem")
        + "\n  batchSize: 100\n  interval: "
        + interval
        + "\n";
  }

  /** Entries of {@code station} stored centrally (0 while the server cannot be reached). */
  long stored(String station) {
    try (Connection c = admin();
        java.sql.PreparedStatement q =
            c.prepareStatement("SELECT count(*) FROM fleet_entries WHERE station_id = ?")) {
      q.setString(1, station);
      try (java.sql.ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      return 0;
    }
  }

  Connection admin() throws SQLException {
    return as(ADMIN).open();
  }

  private void run(List<String> cmd) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (root) {
      full.addAll(List.of("runuser", "-u", "nobody", "--"));
    }
    full.addAll(cmd);
    Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      String log =
          Files.exists(dir.resolve("server.log"))
              ? Files.readString(dir.resolve("server.log"))
              : "";
      throw new IOException(String.join(" ", full) + " failed:\n" + out + "\n" + log);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (Files.exists(data.resolve("postmaster.pid"))) {
      stopImmediately();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static void setPrivate(Path p) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
  }
}
