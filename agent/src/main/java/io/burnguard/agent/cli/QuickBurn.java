package io.burnguard.agent.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's everyday line, {@code burnguard burn --fixture F --barcode B [...]}, read without
 * picocli (issue 17).
 *
 * <p>Why: picocli builds its model of a command from annotations at every start (reflection,
 * annotation proxies, its converter registry), about 70-90 ms of CPU for {@code burn} alone, which
 * no Java 17 class-data archive can hold; a programmatic {@code CommandSpec} still pays for
 * picocli's {@code CommandLine} (~30 ms measured with a bare one). That was the largest part of the
 * CLI's start left after the archive, and {@code burn} is the command a station runs thousands of
 * times a day.
 *
 * <p>How it stays the same command: this class only <em>accepts</em> the plain form, every option
 * of {@link BurnCommand} at most once, as {@code --name value} or {@code --name=value} with a
 * non-empty value that does not begin with {@code -} or {@code @}, and the required ones present.
 * Anything else (help, a typo, a missing or repeated option, an {@code @file}, {@code --}) returns
 * null and goes to picocli, which answers it as before. {@link BurnCommand}'s annotations stay the
 * source of its help, man page and completion; {@code QuickBurnTest} checks that this class knows
 * exactly those options and that every line it accepts sets the same fields, and prints and exits
 * the same, as picocli.
 */
final class QuickBurn {
  private QuickBurn() {}

  /**
   * The option names this class reads; {@code QuickBurnTest} compares them with the annotations.
   */
  static final List<String> OPTIONS =
      List.of("--fixture", "--barcode", "--order", "--rework", "--config", "--socket", "--json");

  /** The burn {@code args} (which start with "burn") ask for, or null when picocli must read it. */
  static BurnCommand parse(String[] args) {
    if (args.length == 0 || !args[0].equals("burn")) {
      return null;
    }
    Map<String, String> given = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      String value;
      if (name.equals("--json")) {
        if (eq >= 0) {
          return null; // a value for the flag: picocli's to accept or refuse
        }
        value = "true";
      } else if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        return null;
      }
      if (!OPTIONS.contains(name) || !plain(value) || given.put(name, value) != null) {
        return null;
      }
    }
    return command(given);
  }

  /** A value picocli takes as it is: not empty, not an option, not an {@code @file}. */
  private static boolean plain(String value) {
    return !value.isEmpty() && !value.startsWith("-") && !value.startsWith("@");
  }

  /** The command with the options {@code given}; null without a required one or a bad path. */
  private static BurnCommand command(Map<String, String> given) {
    BurnCommand burn = new BurnCommand();
    burn.fixture = given.get("--fixture");
    burn.barcode = given.get("--barcode");
    burn.order = given.get("--order");
    burn.rework = given.get("--rework");
    burn.client = new ClientOptions();
    burn.jsonOption = new JsonOption();
    burn.jsonOption.json = given.containsKey("--json");
    try {
      burn.client.config = path(given.get("--config"));
      burn.client.socket = path(given.get("--socket"));
    } catch (InvalidPathException e) {
      return null;
    }
    return burn.fixture != null && burn.barcode != null ? burn : null;
  }

  /** As picocli converts a {@link Path} option (its error, for a string that is no path, too). */
  private static Path path(String value) {
    return value == null ? null : Path.of(value);
  }
}
