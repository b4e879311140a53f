package io.burnguard.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.contract.Operation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
          "ports events",
          "policy generate",
          "policy check",
          "policy show",
          "policy reload",
          "parts register",
          "parts sanitize",
          "parts scan",
          "parts inventory",
          "parts install",
          "parts scrap",
          "parts witness",
          "parts certificate",
          "parts show",
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
  void everyRemoteCommandSendsTheOperationItsNameSays() {
    Map<String, Operation> sent = remoteCommands();
    assertTrue(sent.size() >= 20, "remote commands: " + sent);
    sent.forEach(
        (command, op) -> {
          String words = op.wireName().replace('.', ' ');
          // `burnguard alerts` lists: the one command whose operation adds a verb.
          assertTrue(
              words.equals(command) || words.equals(command + " list"),
              "`burnguard " + command + "` sends " + op.wireName());
        });
  }

  @Test
  void noTwoRemoteCommandsShareAnOperation() {
    Map<String, Operation> sent = remoteCommands();
    Map<Operation, String> seen = new EnumMap<>(Operation.class);
    sent.forEach(
        (command, op) -> {
          String other = seen.put(op, command);
          assertNull(other, op.wireName() + " is sent by both " + other + " and " + command);
        });
  }

  @Test
  void everyOperationIsReachableFromTheCli() {
    Set<Operation> reached = EnumSet.noneOf(Operation.class);
    reached.addAll(remoteCommands().values());
    // doctor renders its own result and checks locally when the daemon is down.
    reached.add(Operation.DOCTOR);
    // policy check and generate run offline in the CLI (issue 14); the daemon serves neither.
    reached.add(Operation.POLICY_CHECK);
    reached.add(Operation.POLICY_GENERATE);
    assertEquals(EnumSet.allOf(Operation.class), reached);
  }

  @Test
  void unknownCommandWithHelpIsTheSameUsageErrorAsWithout() {
    assertSameUsageError("nosuch thing", "Unmatched arguments from index 0: 'nosuch', 'thing'");
    assertSameUsageError("firmware nosuch", "Unmatched argument at index 1: 'nosuch'");
    assertSameUsageError("doctor --bogus", "Unknown option: '--bogus'");
  }

  @Test
  void helpAloneStillPrintsTheUsageWithExit0() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Main.run(new String[] {"firmware", "--help"}, new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, exit, err.toString());
    assertTrue(out.toString().startsWith("Usage: burnguard firmware"), out.toString());
    assertEquals("", err.toString());
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
  void progressLineShowsPhasePercentRateAndEta() {
    String l = ProgressPrinter.line("download", 50L << 20, 100L << 20, 5.0);
    assertEquals("download    50% 10.0 MiB/s ETA 5s", l);
  }

  /** Runs {@code args} then {@code args --help}; both must fail the same way with exit 2. */
  private static void assertSameUsageError(String args, String expected) {
    String withoutHelp = null;
    for (String line : List.of(args, args + " --help")) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = Main.run(line.split(" "), new PrintWriter(out), new PrintWriter(err));
      assertEquals(2, exit, line + ":\n" + out + err);
      assertEquals("", out.toString(), line);
      assertTrue(err.toString().contains(expected), line + ":\n" + err);
      if (withoutHelp == null) {
        withoutHelp = err.toString();
      } else {
        assertEquals(withoutHelp, err.toString(), line);
      }
    }
  }

  /** Every command the daemon serves, by its words after {@code burnguard}, with its operation. */
  private static Map<String, Operation> remoteCommands() {
    Map<String, Operation> sent = new TreeMap<>();
    collect(Main.commandLine(), sent);
    return sent;
  }

  private static void collect(CommandLine cl, Map<String, Operation> sent) {
    if (cl.getCommand() instanceof RemoteCommand rc) {
      String words = cl.getCommandSpec().qualifiedName(" ").substring("burnguard ".length());
      sent.put(words, rc.op());
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      collect(sub, sent);
    }
  }
}
