package io.burnguard.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliTreeTest {
  /** The commands of docs/architecture.md's CLI contract. */
  static final List<String> CONTRACT =
      List.of(
          "agent run",
          "config check",
          "doctor",
          "firmware fetch",
          "firmware list",
          "firmware verify",
          "release sign",
          "order open",
          "order list",
          "order close",
          "burn",
          "trace",
          "units",
          "alerts",
          "alerts ack",
          "ports",
          "policy generate",
          "policy check",
          "policy reload",
          "parts register",
          "parts sanitize",
          "parts scan",
          "parts inventory",
          "parts install",
          "parts scrap",
          "audit verify",
          "audit head");

  @Test
  void everyContractCommandExistsAndHasHelp() {
    for (String cmd : CONTRACT) {
      List<String> args = new ArrayList<>(List.of(cmd.split(" ")));
      args.add("--help");
      StringWriter out = new StringWriter();
      int exit =
          Main.run(
              args.toArray(String[]::new),
              new PrintWriter(out),
              new PrintWriter(new StringWriter()));
      assertEquals(0, exit, cmd);
      assertTrue(out.toString().startsWith("Usage: burnguard " + cmd), cmd + ":\n" + out);
    }
  }

  @Test
  void everyDaemonCommandIsDeclaredWithRolesInTheDaemon() throws Exception {
    Class<?> opsClass = Class.forName("io.burnguard.agent.daemon.Operations");
    var ctor = opsClass.getDeclaredConstructor();
    ctor.setAccessible(true);
    Method all = opsClass.getDeclaredMethod("all");
    all.setAccessible(true);
    Set<String> declared =
        ((Map<?, ?>) all.invoke(ctor.newInstance()))
            .keySet().stream().map(Object::toString).collect(java.util.stream.Collectors.toSet());
    List<String> remote = new ArrayList<>();
    collect(Main.commandLine(), remote);
    assertTrue(remote.size() >= 20, "remote commands: " + remote);
    for (String op : remote) {
      assertTrue(declared.contains(op), "daemon does not declare " + op);
    }
  }

  @Test
  void unknownOptionIsAUsageErrorWithExit2() {
    StringWriter err = new StringWriter();
    int exit =
        Main.run(
            new String[] {"doctor", "--bogus"},
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertEquals(2, exit);
    assertTrue(err.toString().contains("Unknown option: '--bogus'"), err.toString());
    assertTrue(err.toString().contains("burnguard doctor --help"), err.toString());
  }

  @Test
  void offlineUnbuiltCommandSaysSoWithExit2() {
    StringWriter err = new StringWriter();
    int exit =
        Main.run(
            new String[] {"policy", "check"},
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertEquals(2, exit);
    assertTrue(
        err.toString().contains("`burnguard policy check` is not built yet"), err.toString());
  }

  @Test
  void progressLineShowsPhasePercentRateAndEta() {
    String l = ProgressPrinter.line("download", 50L << 20, 100L << 20, 5.0);
    assertEquals("download    50% 10.0 MiB/s ETA 5s", l);
  }

  private static void collect(CommandLine cl, List<String> ops) {
    if (cl.getCommand() instanceof RemoteCommand rc) {
      rc.spec = cl.getCommandSpec();
      ops.add(rc.op());
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      collect(sub, ops);
    }
  }
}
