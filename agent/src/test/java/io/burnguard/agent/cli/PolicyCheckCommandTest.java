package io.burnguard.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code policy check} and {@code policy generate} run offline, without a daemon. */
class PolicyCheckCommandTest {
  @TempDir Path tmp;

  private String[] run(int expectedExit, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    assertEquals(expectedExit, exit, out + "\n" + err);
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void everyProblemIsReportedWithLineAndColumnAndExit2() throws Exception {
    Path f = tmp.resolve("rules.conf");
    Files.writeString(f, "allow id 1d6b:0002\nallow idd 1:2\n# fine\nblock serial\n");
    String out = run(2, "policy", "check", f.toString())[0];
    assertTrue(out.matches("(?s)" + java.util.regex.Pattern.quote(f + ":2:") + "\\d+: .*"), out);
    assertTrue(out.contains(f + ":4:"), out);
    assertTrue(out.contains("2 problem(s); nothing was loaded"), out);
  }

  @Test
  void aValidFileIsExit0AndJsonListsNoProblems() throws Exception {
    Path f = tmp.resolve("rules.conf");
    Files.writeString(f, "allow id 1d6b:* with-connect-type \"hardwired\"\nblock\n");
    assertEquals(f + ": no problems\n", run(0, "policy", "check", f.toString())[0]);
    String json = run(0, "policy", "check", "--json", f.toString())[0];
    assertTrue(json.contains("\"problems\" : [ ]"), json);
  }

  @Test
  void generateReadsTheGivenSysfsRootAndExits0() throws Exception {
    // A machine without a USB bus: no rules, still exit 0 (like usbguard generate-policy).
    assertEquals("", run(0, "policy", "generate", "--sysfs", tmp.toString())[0]);
  }
}
