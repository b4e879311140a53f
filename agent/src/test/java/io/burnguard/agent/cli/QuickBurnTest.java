package io.burnguard.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Issue 17: {@link QuickBurn} reads the operator's burn line without picocli; every line it accepts
 * must mean, print and exit exactly what picocli's tree makes of it, and every other line must be
 * left to picocli.
 */
class QuickBurnTest {
  /** Lines the fast path takes (no daemon listens on these sockets). */
  private static final List<String[]> ACCEPTED =
      List.of(
          line("burn --fixture fx1 --barcode B1 --socket /nonexistent/a.sock"),
          line("burn --barcode B1 --fixture fx1 --socket /nonexistent/a.sock --json"),
          line("burn --json --fixture=fx1 --barcode=B=1 --socket=/nonexistent/b.sock"),
          line("burn --fixture fx1 --barcode B1 --order WO-7 --socket /nonexistent/c.sock"),
          line("burn --fixture fx1 --barcode B1 --rework reason --socket nonexistent/rel.sock"),
          line(
              "burn --fixture fx1 --barcode B1 --config /nonexistent/s.yaml --socket /nonexistent/e"),
          new String[] {
            "burn", "--fixture", "fx 1", "--barcode", "\"quoted\" ünï", "--socket", "/nonexistent/d"
          },
          line("burn --fixture fx1 --barcode B1 --socket /nonexistent/--json"));

  /** Lines the fast path leaves to picocli: help, errors and every unusual form. */
  private static final List<String[]> DECLINED =
      List.of(
          line("burn"),
          line("burn --help"),
          line("burn -h"),
          line("burn --version"),
          line("burn --fixture fx1"),
          line("burn --barcode B1"),
          line("burn --fixture fx1 --barcode"),
          line("burn --fixture fx1 --barcode B1 --fixture fx2"),
          line("burn --fixture fx1 --barcode B1 --json --json"),
          line("burn --fixture fx1 --barcode B1 --json=true"),
          line("burn --fixture fx1 --barcode --json"),
          line("burn --fixture fx1 --barcode -B1"),
          line("burn --fixture fx1 --barcode @args.txt"),
          line("burn --fixture= --barcode B1"),
          line("burn --fixture fx1 --barcode B1 --bogus x"),
          line("burn --fixture fx1 --barcode B1 --"),
          line("burn --fixture fx1 --barcode B1 extra"),
          line("burn --FIXTURE fx1 --barcode B1"),
          line("burn --fix fx1 --barcode B1"),
          new String[] {"burn", "--fixture", "fx1", "--barcode", "B1", "--socket", "a\0b"},
          line("trace --barcode B1"),
          line("--version"),
          new String[0]);

  @Test
  void readsExactlyTheOptionsBurnCommandDeclares() {
    CommandLine burn = Main.commandLine(BurnCommand.class).getSubcommands().get("burn");
    TreeSet<String> declared = new TreeSet<>();
    for (OptionSpec o : burn.getCommandSpec().options()) {
      if (!o.usageHelp() && !o.versionHelp()) {
        declared.addAll(List.of(o.names()));
      }
    }
    assertEquals(
        declared,
        new TreeSet<>(QuickBurn.OPTIONS),
        "an option added to BurnCommand must be read by QuickBurn too (or QuickBurn must leave"
            + " lines with it to picocli)");
  }

  @Test
  void acceptedLinesSetWhatPicocliSets() {
    for (String[] args : ACCEPTED) {
      BurnCommand quick = QuickBurn.parse(args);
      assertNotNull(quick, String.join(" ", args));
      CommandLine tree = Main.commandLine();
      CommandLine.ParseResult parsed = tree.parseArgs(args);
      BurnCommand picocli = (BurnCommand) parsed.subcommand().commandSpec().userObject();
      assertEquals(fields(picocli), fields(quick), String.join(" ", args));
    }
  }

  @Test
  void acceptedLinesPrintAndExitAsPicocliDoes() {
    for (String[] args : ACCEPTED) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
      String quick = "exit " + exit + "\nout:\n" + out + "err:\n" + err;
      assertEquals(picocli(args), quick, String.join(" ", args));
    }
  }

  @Test
  void unusualLinesAreLeftToPicocli() {
    for (String[] args : DECLINED) {
      assertNull(QuickBurn.parse(args), String.join(" ", args));
    }
  }

  private static String picocli(String[] args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return "exit " + exit + "\nout:\n" + out + "err:\n" + err;
  }

  private static List<Object> fields(BurnCommand b) {
    List<Object> f = new ArrayList<>();
    f.add(b.fixture);
    f.add(b.barcode);
    f.add(b.order);
    f.add(b.rework);
    f.add(b.client.config);
    f.add(b.client.socket);
    f.add(b.jsonOption.json);
    return f;
  }

  private static String[] line(String s) {
    return s.split(" ");
  }
}
