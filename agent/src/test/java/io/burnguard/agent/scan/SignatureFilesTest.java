package io.burnguard.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignatureFilesTest {
  @TempDir Path dir;

  private static final Instant LOADED = Instant.parse("2026-11-30T08:00:00Z");
  private static final Instant NOW = LOADED.plus(Duration.ofHours(1));

  private void write(String name, String content, Instant mtime) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    Files.setLastModifiedTime(f, FileTime.from(mtime));
  }

  @Test
  void sameFilesSameDigestAnyChangeAnotherOne() throws Exception {
    write("local.ndb", "A:0:*:41414141\n", LOADED);
    write("local.hdb", "x", LOADED);
    String before = SignatureFiles.digest(dir, NOW).orElseThrow();
    assertEquals(before, SignatureFiles.digest(dir, NOW).orElseThrow());

    write("local.ndb", "A:0:*:41414142\n", LOADED);
    assertEquals(before, SignatureFiles.digest(dir, NOW).orElseThrow(), "same size and time");
    write("local.ndb", "A:0:*:4141414242\n", LOADED);
    String bigger = SignatureFiles.digest(dir, NOW).orElseThrow();
    assertNotEquals(before, bigger, "size changed");
    write("local.ndb", "A:0:*:4141414242\n", LOADED.plusSeconds(1));
    assertNotEquals(bigger, SignatureFiles.digest(dir, NOW).orElseThrow(), "mtime changed");
    write("more.ndb", "B:0:*:4242\n", LOADED);
    assertEquals(64, SignatureFiles.digest(dir, NOW).orElseThrow().length());
  }

  @Test
  void noDigestWhileClamdMayNotHaveLoadedTheChange() throws Exception {
    write("local.ndb", "A:0:*:41414141\n", NOW.minus(SignatureFiles.SETTLE).plusSeconds(1));
    assertEquals(Optional.empty(), SignatureFiles.digest(dir, NOW));
    assertTrue(SignatureFiles.digest(dir, NOW.plusSeconds(2)).isPresent());
  }

  @Test
  void noDigestWithoutADirectoryOrFiles() {
    assertEquals(Optional.empty(), SignatureFiles.digest(null, NOW));
    assertEquals(Optional.empty(), SignatureFiles.digest(dir, NOW));
    assertEquals(Optional.empty(), SignatureFiles.digest(dir.resolve("missing"), NOW));
  }
}
