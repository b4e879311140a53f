package io.burnguard.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.scan.ClamdFixture;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12.9 and 12.10 through the real daemon and CLI: a data directory or trust file another
 * local user controls is refused at start (exit 2, with the fix) and by {@code config check}; and a
 * daemon started outside systemd under umask 022 still keeps its database, WAL, keys and log to
 * itself.
 */
class FileTrustIT {
  @TempDir Path tmp;

  private static ClamdFixture clamd;
  private DaemonHarness h;

  @BeforeAll
  static void startClamd() throws IOException {
    clamd = ClamdFixture.builder().start();
  }

  @AfterAll
  static void stopClamd() throws IOException {
    clamd.close();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (h != null) {
      h.close();
    }
  }

  private DaemonHarness harness() throws IOException {
    h = new DaemonHarness(tmp, clamd.unixAddress().toString(), "  root: engineer\n", null, "");
    return h;
  }

  private static UserPrincipal user(String name) throws IOException {
    return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name);
  }

  private void assertRefused(String... expected) throws Exception {
    DaemonHarness.Run r = h.startExpectingFailure();
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("refuses to start"), r.toString());
    for (String e : expected) {
      assertTrue(r.err().contains(e), "missing '" + e + "' in:\n" + r);
    }
    assertTrue(r.err().contains("Fix: "), r.toString());
    assertFalse(Files.exists(h.socket()), "the socket was opened");
    DaemonHarness.Run check = h.cli("config", "check", h.config().toString());
    assertEquals(2, check.exit(), check.toString());
    for (String e : expected) {
      assertTrue(check.out().contains(e), "config check misses '" + e + "':\n" + check);
    }
  }

  @Test
  void aDataDirThatIsASymlinkIsRefused() throws Exception {
    harness();
    Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
    Files.createSymbolicLink(h.dataDir(), elsewhere);
    assertRefused("station.dataDir " + h.dataDir() + " is a symbolic link to " + elsewhere);
    try (var files = Files.list(elsewhere)) {
      assertEquals(List.of(), files.toList(), "the daemon wrote through the link");
    }
  }

  @Test
  void aDataDirPreparedByAnotherUserWithTheirOwnKeysIsRefused() throws Exception {
    harness();
    Path data = Files.createDirectory(h.dataDir());
    Path key = Files.writeString(data.resolve("audit-ed25519.key"), "attacker's key\n");
    Path cacheKey = Files.writeString(data.resolve("cache.key"), "attacker's key\n");
    for (Path p : List.of(data, key, cacheKey)) {
      Files.setOwner(p, user("nobody"));
    }
    String before = Files.readString(key);
    assertRefused(
        "station.dataDir " + data + " is owned by nobody",
        "station.dataDir key " + key + " is owned by nobody",
        "station.dataDir key " + cacheKey + " is owned by nobody");
    assertEquals(before, Files.readString(key));
  }

  @Test
  void aRootOwnedDataDirWithAForeignKeyOrAReadableKeyIsRefused() throws Exception {
    harness();
    Path data = Files.createDirectory(h.dataDir());
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    Path key = Files.writeString(data.resolve("audit-ed25519.key"), "planted\n");
    Files.setOwner(key, user("daemon"));
    Path cacheKey = Files.writeString(data.resolve("cache.key"), "x\n");
    Files.setPosixFilePermissions(cacheKey, PosixFilePermissions.fromString("rw-r--r--"));
    assertRefused(
        "station.dataDir key " + key + " is owned by daemon",
        "station.dataDir key " + cacheKey + " is mode rw-r--r--; a key must be rw------- (0600)");
  }

  @Test
  void worldWritableConfigReleaseRootAndCrlDirAreRefused() throws Exception {
    harness();
    Path root = tmp.resolve("release-root.pem");
    Path crl = tmp.resolve("crl");
    for (Path p : List.of(h.config(), root)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
    }
    Files.setPosixFilePermissions(crl, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertRefused(
        "station.yaml " + h.config() + " is mode rw-rw-rw-; group or others may write it",
        "trust.releaseRoot " + root + " is mode rw-rw-rw-",
        "trust.crlDir " + crl + " is mode rwxrwxrwx");
  }

  @Test
  void aHealthyStationStillStartsAndConfigCheckPasses() throws Exception {
    harness();
    DaemonHarness.Run check = h.cli("config", "check", h.config().toString());
    assertEquals(0, check.exit(), check.toString());
    h.start();
    assertEquals(0, h.cli("doctor").exit());
  }

  @Test
  void underUmask022TheDatabaseWalKeysAndLogAreKeptPrivate() throws Exception {
    harness();
    // Started as an engineer might outside systemd: a shell with the common umask 022.
    Process p =
        new ProcessBuilder(
                "sh",
                "-c",
                "umask 022 && exec \"$0\" agent run --config \"$1\"",
                h.launcher().toString(),
                h.config().toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("umask-daemon.out").toFile())
            .start();
    try {
      assertTrue(
          DaemonHarness.waitFor(Duration.ofSeconds(120), () -> Files.exists(h.socket())),
          "daemon did not start: " + Files.readString(tmp.resolve("umask-daemon.out")));
      // A doctor call reads and writes the database, so the WAL and SHM files exist.
      assertEquals(0, h.cli("doctor").exit());
      Path data = h.dataDir();
      assertMode("rwx------", data);
      for (String f :
          List.of(
              "burnguard.db",
              "burnguard.db-wal",
              "burnguard.db-shm",
              "audit-ed25519.key",
              "cache.key")) {
        assertMode("rw-------", data.resolve(f));
      }
      assertMode("rwxr-x---", data.resolve("log"));
      assertMode("rw-r-----", data.resolve("log/agent.log"));
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  private static void assertMode(String expected, Path p) throws IOException {
    assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " does not exist");
    assertEquals(
        expected,
        PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)),
        p.toString());
  }
}
