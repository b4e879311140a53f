package io.burnguard.agent.vetting.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.testing.TestCerts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, finding 1: crlDir is created by the daemon and CRLs replace each other atomically. */
class CrlStoreTest {
  @TempDir Path tmp;

  private static byte[] crl() throws Exception {
    TestCerts.Issued root = TestCerts.certificate("CN=Root", TestCerts.ec()).ca().selfSigned();
    Instant now = Instant.now();
    return TestCerts.crl(root, now, now.plus(Duration.ofDays(1)), List.of(), now).getEncoded();
  }

  @Test
  void aMissingCrlDirIsCreatedPrivateAndACrlIsStoredWholeWithNoLeftovers() throws Exception {
    CrlStore store = new CrlStore(tmp.resolve("var/crl"));
    store.ensureDir();
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.dir())));
    byte[] a = crl();
    assertTrue(store.put("signing.crl", a));
    assertArrayEquals(a, Files.readAllBytes(store.dir().resolve("signing.crl")));
    assertTrue(store.stored("signing.crl").isPresent());
    assertFalse(store.put("signing.crl", a), "unchanged bytes are not rewritten");
    byte[] b = crl();
    assertTrue(store.put("signing.crl", b));
    assertArrayEquals(b, Files.readAllBytes(store.dir().resolve("signing.crl")));
    try (Stream<Path> left = Files.list(store.dir().resolve(".partial"))) {
      assertEquals(0, left.count(), "no temporary file is left behind");
    }
    try (Stream<Path> files = Files.list(store.dir())) {
      assertEquals(
          List.of("signing.crl"),
          files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void aNameThatCouldLeaveCrlDirAndASymlinkedCrlDirAreRefused() throws Exception {
    CrlStore store = new CrlStore(tmp.resolve("crl"));
    store.ensureDir();
    for (String bad : List.of("../evil.crl", ".hidden", "a/b.crl", "")) {
      IOException e = assertThrows(IOException.class, () -> store.put(bad, new byte[] {1}));
      assertTrue(e.getMessage().contains("trust.serverCrls"), e.getMessage());
    }
    Path link = tmp.resolve("link");
    Files.createSymbolicLink(link, tmp.resolve("crl"));
    IOException e = assertThrows(IOException.class, () -> new CrlStore(link).ensureDir());
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
  }
}
