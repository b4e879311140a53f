package io.burnguard.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Issue 17's lazy command tree: a command line that names a subcommand builds only that one, and
 * must behave exactly as the full tree does.
 */
class LazyTreeTest {
  @Test
  void subcommandsByNameAreExactlyTheAnnotatedTree() {
    Map<String, Class<?>> annotated = new TreeMap<>();
    for (Class<?> c : BurnguardCommand.class.getAnnotation(Command.class).subcommands()) {
      annotated.put(c.getAnnotation(Command.class).name(), c);
    }
    Map<String, Class<?>> named = new TreeMap<>();
    for (String name : annotated.keySet()) {
      named.put(name, Subcommands.named(name));
    }
    assertEquals(annotated, named);
    assertEquals(15, named.size(), "the CLI contract's top-level commands");
    assertNull(Subcommands.named("nosuch"));
    assertNull(Subcommands.named("Burn"), "subcommand names are case-sensitive in the full tree");
  }

  @Test
  void theLazyTreeHoldsOnlyTheNamedSubcommand() {
    CommandLine lazy = Main.commandLine(BurnCommand.class);
    assertEquals(List.of("burn"), new ArrayList<>(lazy.getSubcommands().keySet()));
    assertEquals(
        "burnguard burn", lazy.getSubcommands().get("burn").getCommandSpec().qualifiedName(" "));
  }

  @Test
  void everySubcommandAnswersAsInTheFullTree() {
    List<String> lines = new ArrayList<>();
    for (String name : Main.commandLine().getSubcommands().keySet()) {
      lines.add(name + " --help");
      lines.add(name + " --bogus");
    }
    lines.addAll(
        List.of(
            "burn",
            "burn --fixture fx1",
            "burn --fixture fx1 --barcode",
            "burn --barcode B1 --fixture fx1 --socket /nonexistent/burnguard.sock",
            "burn --barcode B1 --fixture fx1 --socket /nonexistent/burnguard.sock --json",
            "firmware nosuch",
            "order open --help",
            "audit verify --help"));
    for (String line : lines) {
      String[] args = line.split(" ");
      String full = run(fullTree(), args);
      String lazy = run(Main.commandLine(Subcommands.named(args[0])), args);
      assertEquals(full, lazy, line);
    }
  }

  @Test
  void versionWithoutTheTreeIsWhatPicocliPrints() {
    String picocli = run(fullTree(), new String[] {"--version"});
    assertTrue(picocli.startsWith("exit 0\nout:\nBurnGuard "), picocli);
    for (String flag : List.of("--version", "-V")) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = Main.run(new String[] {flag}, new PrintWriter(out), new PrintWriter(err));
      assertEquals(picocli, "exit " + exit + "\nout:\n" + out + "err:\n" + err, flag);
    }
  }

  private static CommandLine fullTree() {
    return Main.commandLine();
  }

  /** Exit code, stdout and stderr of one run, as one string to compare. */
  private static String run(CommandLine cl, String[] args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return "exit " + exit + "\nout:\n" + out + "err:\n" + err;
  }
}
