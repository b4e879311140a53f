package io.burnguard.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads station.yaml strictly: every problem in the file is found and reported together, each with
 * file, line, field path and a fix. Nothing is defaulted silently except the documented {@link
 * Spec.Default} values.
 */
public final class StationConfigLoader {
  private StationConfigLoader() {}

  /**
   * Loads and validates {@code file}, then checks it with {@code rules}.
   *
   * @throws ConfigException with every problem found
   */
  public static StationConfig load(Path file, ConfigRule... rules) throws ConfigException {
    List<ConfigProblem> problems = new ArrayList<>();
    String text = readText(file, problems);
    StationConfig cfg = text == null ? null : parse(file.toString(), text, problems, rules);
    if (!problems.isEmpty() || cfg == null) {
      throw new ConfigException(sorted(problems));
    }
    return cfg;
  }

  /** Validates {@code file} and returns its problems (empty when it is valid). */
  public static List<ConfigProblem> check(Path file, ConfigRule... rules) {
    try {
      load(file, rules);
      return List.of();
    } catch (ConfigException e) {
      return e.problems();
    }
  }

  /** Parses YAML text; {@code name} is what messages call the file. */
  public static StationConfig parse(String name, String text, ConfigRule... rules)
      throws ConfigException {
    List<ConfigProblem> problems = new ArrayList<>();
    StationConfig cfg = parse(name, text, problems, rules);
    if (!problems.isEmpty() || cfg == null) {
      throw new ConfigException(sorted(problems));
    }
    return cfg;
  }

  private static StationConfig parse(
      String name, String text, List<ConfigProblem> problems, ConfigRule... rules) {
    YamlNode root = new YamlReader(name, problems).read(text);
    if (root == null) {
      return null;
    }
    Binder binder = new Binder(name, problems);
    StationConfig cfg = (StationConfig) binder.bind(root, StationConfig.class, "", null);
    crossCheck(name, root, binder.lines(), cfg, problems);
    if (cfg != null) {
      ConfigRule.Problems sink =
          (path, message, fix) ->
              problems.add(
                  ConfigProblem.at(name, lineOf(path, binder.lines()), 0, path, message, fix));
      for (ConfigRule rule : rules) {
        rule.check(cfg, sink);
      }
    }
    return cfg;
  }

  /** The line of {@code path}, or of its nearest enclosing field that was in the file. */
  static int lineOf(String path, Map<String, Integer> lines) {
    String p = path;
    while (!p.isEmpty()) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return 0;
  }

  /** Checks that span several fields; runs on what could be bound even if other parts failed. */
  private static void crossCheck(
      String name,
      YamlNode root,
      Map<String, Integer> lines,
      StationConfig cfg,
      List<ConfigProblem> problems) {
    if (!(root instanceof YamlNode.Mapping top)) {
      return;
    }
    checkFixtureIds(name, top, problems);
    if (cfg == null) {
      return;
    }
    if (cfg.roles().isEmpty()) {
      problems.add(
          ConfigProblem.at(
              name,
              lines.getOrDefault("roles", 0),
              0,
              "roles",
              "no OS group is mapped to a role, so nobody could use the station",
              "map groups to roles, e.g. \"burnguard-op: operator\""));
    }
    for (int i = 0; i < cfg.fixtures().size(); i++) {
      StationConfig.Fixture f = cfg.fixtures().get(i);
      if (!cfg.models().containsKey(f.model())) {
        String p = "fixtures[" + i + "].model";
        String guess = Suggest.closest(f.model(), cfg.models().keySet());
        problems.add(
            ConfigProblem.at(
                name,
                lines.getOrDefault(p, 0),
                0,
                p,
                "the model \"" + f.model() + "\" is not defined under models",
                guess != null
                    ? "did you mean \"" + guess + "\"?"
                    : "add it under models, or use one of: "
                        + String.join(", ", cfg.models().keySet())));
      }
    }
  }

  /**
   * Duplicate fixture ids are checked on the raw tree so they are reported even when another field
   * of the same fixture is wrong.
   */
  private static void checkFixtureIds(
      String name, YamlNode.Mapping top, List<ConfigProblem> problems) {
    if (!(top.entries().get("fixtures") instanceof YamlNode.Sequence seq)) {
      return;
    }
    Map<String, Integer> firstLine = new HashMap<>();
    for (int i = 0; i < seq.items().size(); i++) {
      if (seq.items().get(i) instanceof YamlNode.Mapping m
          && m.entries().get("id") instanceof YamlNode.Scalar s
          && s.text() != null) {
        Integer prev = firstLine.putIfAbsent(s.text(), s.line());
        if (prev != null) {
          problems.add(
              ConfigProblem.at(
                  name,
                  s.line(),
                  s.column(),
                  "fixtures[" + i + "].id",
                  "duplicate fixture id \"" + s.text() + "\" (first used at line " + prev + ")",
                  "give every fixture its own id, e.g. \"" + s.text() + "-b\""));
        }
      }
    }
  }

  private static String readText(Path file, List<ConfigProblem> problems) {
    String name = file.toString();
    try {
      if (Files.isDirectory(file)) {
        problems.add(
            ConfigProblem.at(
                name, 0, 0, "", "is a directory", "name the station.yaml file itself"));
        return null;
      }
      if (Files.exists(file) && !Files.isRegularFile(file)) {
        // A FIFO or a device would block the reader or stream without end.
        problems.add(
            ConfigProblem.at(
                name,
                0,
                0,
                "",
                "is not a regular file (a FIFO, device or socket)",
                "name the station.yaml file itself"));
        return null;
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(YamlReader.MAX_BYTES + 1);
      }
      if (bytes.length > YamlReader.MAX_BYTES) {
        problems.add(
            ConfigProblem.at(
                name,
                0,
                0,
                "",
                "is larger than " + YamlReader.MAX_BYTES + " bytes; a station.yaml is a few KiB",
                "check that this is the right file"));
        return null;
      }
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (NoSuchFileException e) {
      problems.add(
          ConfigProblem.at(
              name, 0, 0, "", "does not exist", "check the path, or copy the documented example"));
    } catch (AccessDeniedException e) {
      problems.add(
          ConfigProblem.at(
              name,
              0,
              0,
              "",
              "cannot be read: permission denied",
              "run as a user that may read it, or make it readable by the burnguard group (mode"
                  + " 0640)"));
    } catch (CharacterCodingException e) {
      problems.add(ConfigProblem.at(name, 0, 0, "", "is not UTF-8 text", "save the file as UTF-8"));
    } catch (IOException e) {
      problems.add(
          ConfigProblem.at(name, 0, 0, "", "cannot be read: " + e.getMessage(), "check the file"));
    }
    return null;
  }

  private static List<ConfigProblem> sorted(List<ConfigProblem> problems) {
    List<ConfigProblem> out = new ArrayList<>(problems);
    out.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
    return out;
  }
}
