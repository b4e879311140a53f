package io.burnguard.agent.cli;

import io.burnguard.agent.contract.ExitCode;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point of the {@code burnguard} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Timing.started();
    // UTF-8 explicitly: messages quote file content and barcodes, and stations run UTF-8 locales.
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int exit = run(args, out, err);
    Timing.mark("output and exit code");
    Timing.print();
    System.exit(exit);
  }

  /** Runs the CLI and returns the exit code; used by tests in-process. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // What picocli prints for the top command's --version, without building the command tree.
      for (String line : new Version().getVersion()) {
        out.println(line);
      }
      out.flush();
      return ExitCode.OK.code();
    }
    BurnCommand burn = QuickBurn.parse(args);
    if (burn != null) {
      Timing.mark("command line (burn, without picocli)");
      try {
        return burn.run(out, err);
      } catch (RuntimeException e) {
        return failed(e, err);
      }
    }
    Class<?> only = args.length > 0 ? Subcommands.named(args[0]) : null;
    CommandLine cl = only == null ? commandLine() : commandLine(only);
    cl.setOut(out);
    cl.setErr(err);
    Timing.mark(only == null ? "command tree (all commands)" : "command tree (" + args[0] + ")");
    return cl.execute(args);
  }

  /** The full command tree with the exit-code mapping of the CLI contract. */
  public static CommandLine commandLine() {
    return configure(new CommandLine(new BurnguardCommand()));
  }

  /**
   * The top command with only the subcommand {@code sub}: when the first argument names a
   * subcommand, nothing else of the tree can take part in the run (top-level options come before
   * it), so the other commands' classes are not loaded or reflected on (issue 17). Same names,
   * options, handlers and exit codes as the full tree for that subcommand.
   */
  static CommandLine commandLine(Class<?> sub) {
    CommandLine cl = new CommandLine(CommandSpec.create().name(BurnguardCommand.NAME));
    cl.addSubcommand(new CommandLine(sub));
    return configure(cl);
  }

  /** Applies the CLI contract's settings to {@code cl} and every subcommand added so far. */
  private static CommandLine configure(CommandLine cl) {
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExitCodeExceptionMapper(t -> ExitCode.INTERNAL.code());
    cl.setExecutionStrategy(
        parseResult -> {
          refuseUnmatched(parseResult);
          return new CommandLine.RunLast().execute(parseResult);
        });
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("burnguard: " + ex.getMessage());
          c.getErr()
              .println("Run `" + c.getCommandSpec().qualifiedName() + " --help` for the usage.");
          return ExitCode.USAGE.code();
        });
    cl.setExecutionExceptionHandler((ex, c, parseResult) -> failed(ex, c.getErr()));
    return cl;
  }

  /** What a command that threw prints, and its exit code: the CLI's reason, or a bug. */
  private static int failed(Exception ex, PrintWriter err) {
    if (ex instanceof CliException ce) {
      err.println("burnguard: " + ce.getMessage());
      return ce.exit().code();
    }
    err.println(
        "burnguard: internal error: "
            + ex
            + ". This is a bug; please report it with the command you ran.");
    return ExitCode.INTERNAL.code();
  }

  /**
   * Picocli skips its unmatched-argument check when help is requested, so {@code burnguard nosuch
   * --help} would print the top-level usage and exit 0: a script could not tell a missing command
   * from a present one. The check is made here for every level of the command line, with the
   * message and exit code the same arguments get without {@code --help}.
   */
  private static void refuseUnmatched(ParseResult parseResult) {
    for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (!level.unmatched().isEmpty()) {
        throw new UnmatchedArgumentException(level.commandSpec().commandLine(), level.unmatched());
      }
    }
  }
}
