package io.burnguard.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.contract.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon refuses to start with a fixture its driver cannot use, with the same file:line problem
 * as {@code config check}, before it touches the data directory.
 */
class DaemonFixtureCheckTest {
  private static final Path EXAMPLE = Path.of("../station-config/examples/station.yaml");

  @TempDir Path tmp;

  @Test
  void aFixtureSettingTheDriverDoesNotReadStopsTheStart() throws Exception {
    String text = Files.readString(EXAMPLE);
    String data = tmp.resolve("data").toString();
    String edited =
        text.replace("dataDir: /var/lib/burnguard", "dataDir: " + data)
            .replace("server_ip: 192.168.50.1", "serverIp: 192.168.50.1");
    Path file = tmp.resolve("station.yaml");
    Files.writeString(file, edited);
    int line = edited.lines().toList().indexOf("      serverIp: 192.168.50.1") + 1;
    assertTrue(line > 0, "the example no longer sets server_ip on its own line");
    DaemonException e =
        assertThrows(DaemonException.class, () -> Daemon.start(file, Clock.systemUTC()));
    assertEquals(ExitCode.USAGE, e.exit());
    assertTrue(
        e.getMessage()
            .contains(
                file
                    + ":"
                    + line
                    + ": fixtures[0].settings.serverIp: the driver uboot-tftp has no setting"
                    + " \"serverIp\""),
        e.getMessage());
    assertTrue(e.getMessage().contains("lacks the setting \"server_ip\""), e.getMessage());
    assertTrue(Files.notExists(Path.of(data)), "the data directory was created");
  }
}
