package io.burnguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Red-team findings on station.yaml (issue 12, item 10): aliases, anchors, FIFOs. */
class HostileConfigTest {
  @TempDir Path dir;

  private static ConfigProblem single(String text) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> StationConfigLoader.parse("s.yaml", text));
    assertEquals(1, e.problems().size(), e.getMessage());
    return e.problems().get(0);
  }

  @Test
  void anAliasIsRefusedWithItsLineInsteadOfBecomingItsName() {
    String text =
        StationConfigLoaderTest.minimal("")
            .replace("  id: st1\n", "  id: &sid st1\n  socketGroup: *sid\n");
    ConfigException e =
        assertThrows(ConfigException.class, () -> StationConfigLoader.parse("s.yaml", text));
    List<ConfigProblem> ps = e.problems();
    assertTrue(
        ps.stream().anyMatch(p -> p.line() == 3 && p.message().contains("aliases")),
        e.getMessage());
    assertTrue(
        ps.stream().anyMatch(p -> p.line() == 2 && p.message().contains("anchors")),
        e.getMessage());
  }

  @Test
  void anAnchorAloneIsRefused() {
    ConfigProblem p =
        single(StationConfigLoaderTest.minimal("").replace("  id: st1\n", "  id: &station st1\n"));
    assertEquals(2, p.line());
    assertTrue(p.message().contains("(found &station)"), p.message());
    assertTrue(p.fix().contains("in full"), p.fix());
  }

  @Test
  void aFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("station.yaml");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mk.waitFor(), "mkfifo");
    ConfigException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> assertThrows(ConfigException.class, () -> StationConfigLoader.load(fifo)));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
  }
}
