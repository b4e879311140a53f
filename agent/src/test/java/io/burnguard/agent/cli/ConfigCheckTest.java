package io.burnguard.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code burnguard config check} against the shipped example, and against copies of it with one
 * fixture mistake each: the mistake is named with its file, line and field, and a fix.
 */
class ConfigCheckTest {
  /** The shipped example, relative to the agent module (surefire runs in the module dir). */
  static final Path EXAMPLE = Path.of("../station-config/examples/station.yaml");

  @TempDir Path tmp;

  @Test
  void theShippedExamplePasses() throws IOException {
    Run r = check(Files.readString(EXAMPLE));
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("is valid: station line3-station07, 1 fixture(s)"), r.out());
  }

  @Test
  void anUnknownDriverIsRefusedAtItsLine() throws IOException {
    Run r = checkEdited("driver: uboot-tftp", "driver: nosuch");
    r.assertProblem(
        "fixtures[0].driver: unknown driver \"nosuch\"; this build has: uboot-serial, uboot-tftp",
        "driver: nosuch");
  }

  @Test
  void anUnknownSettingIsRefusedWithTheRightName() throws IOException {
    Run r = checkEdited("device_ip: 192.168.50.20", "deviceIp: 192.168.50.20");
    r.assertProblem(
        "fixtures[0].settings.deviceIp: the driver uboot-tftp has no setting \"deviceIp\"",
        "deviceIp: 192.168.50.20");
    assertTrue(r.out().contains("fix: did you mean \"device_ip\"?"), r.out());
  }

  @Test
  void aMissingRequiredSettingNamesTheSettingsSection() throws IOException {
    Run r = checkEdited("      server_ip: 192.168.50.1\n", "");
    r.assertProblem(
        "fixtures[0].settings: fixture fx1 lacks the setting \"server_ip\", which the driver"
            + " uboot-tftp requires",
        "settings:");
  }

  @Test
  void aMistypedSettingSaysWhatItMustBe() throws IOException {
    Run r = checkEdited("server_ip: 192.168.50.1", "server_ip: 192.168.500.1");
    r.assertProblem(
        "fixtures[0].settings.server_ip: \"192.168.500.1\" is not a dotted IPv4 address",
        "server_ip: 192.168.500.1");
  }

  @Test
  void aMistypedTimeoutSaysWhatItMustBe() throws IOException {
    Run r = checkEdited("baud: \"115200\"", "baud: \"115200\"\n      boot_timeout_s: soon");
    r.assertProblem(
        "fixtures[0].settings.boot_timeout_s: \"soon\" is not a positive whole number of seconds",
        "boot_timeout_s: soon");
  }

  @Test
  void anUnknownRecipeVariableIsRefusedAtItsRecipeLine() throws IOException {
    Run r = checkEdited("crc32 ${readaddr} ${size_hex}", "crc32 ${readaddr} ${image_size}");
    r.assertProblem(
        "models.IPC-X1.recipe.readBack[1]: uses ${image_size}, which is not defined for fixture"
            + " fx1 (driver uboot-tftp)",
        "crc32 ${readaddr} ${image_size}");
  }

  @Test
  void readaddrWithoutItsSettingIsRefusedWithTheSettingToAdd() throws IOException {
    Run r = checkEdited("      readaddr: \"0x44000000\"\n", "");
    r.assertProblem(
        "models.IPC-X1.recipe.readBack[0]: uses ${readaddr}, which is not defined for fixture fx1",
        "- virtio read ${readaddr}");
    assertTrue(r.out().contains("fix: set the fixture's \"readaddr\" setting"), r.out());
  }

  @Test
  void aModelMayNotSetADriverVariable() throws IOException {
    Run r = checkEdited("flash_block: \"0x0\"", "flash_block: \"0x0\"\n        size_hex: \"0x10\"");
    r.assertProblem(
        "models.IPC-X1.recipe.variables.size_hex: ${size_hex} is defined by the driver uboot-tftp",
        "size_hex: \"0x10\"");
  }

  @Test
  void aRecipeVariableThatCouldStartASecondCommandIsRefused() throws IOException {
    Run r = checkEdited("flash_block: \"0x0\"", "flash_block: \"0x0; reset\"");
    r.assertProblem(
        "models.IPC-X1.recipe.variables.flash_block: \"0x0; reset\" cannot be typed into the boot"
            + " loader",
        "flash_block: \"0x0; reset\"");
  }

  private Run checkEdited(String from, String to) throws IOException {
    String text = Files.readString(EXAMPLE);
    assertTrue(text.contains(from), "the example no longer contains: " + from);
    return check(text.replace(from, to));
  }

  private Run check(String text) throws IOException {
    Path f = tmp.resolve("station.yaml");
    Files.writeString(f, text);
    StringWriter out = new StringWriter();
    int exit =
        Main.run(
            new String[] {"config", "check", f.toString()},
            new PrintWriter(out),
            new PrintWriter(new StringWriter()));
    return new Run(f, text, exit, out.toString());
  }

  private record Run(Path file, String text, int exit, String out) {
    /** Exit 2, and a problem "file:LINE: message" where LINE holds {@code lineText}. */
    void assertProblem(String message, String lineText) {
      assertEquals(2, exit, out);
      List<String> lines = text.lines().toList();
      int line = 0;
      for (int i = 0; i < lines.size() && line == 0; i++) {
        if (lines.get(i).contains(lineText)) {
          line = i + 1;
        }
      }
      assertTrue(line > 0, "no line holds " + lineText);
      String expected = file + ":" + line + ": " + message;
      assertTrue(out.contains(expected), () -> "expected\n  " + expected + "\nin\n" + out);
    }
  }
}
