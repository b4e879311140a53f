package io.burnguard.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a located YAML tree to the config records, collecting every problem instead of stopping at
 * the first.
 *
 * <p>Why our own binder rather than Jackson databind: databind stops at the first error and forgets
 * where values came from; an engineer fixing a station.yaml on the line needs all of them at once,
 * each with its line and a fix. The schema is the records themselves plus {@link Spec} annotations,
 * so there is one source of truth.
 */
final class Binder {
  private final String file;
  private final List<ConfigProblem> problems;
  private final Map<String, Integer> lines = new HashMap<>();

  Binder(String file, List<ConfigProblem> problems) {
    this.file = file;
    this.problems = problems;
  }

  /** Line of each bound path, for checks that span several fields. */
  Map<String, Integer> lines() {
    return lines;
  }

  /** Binds {@code node} as {@code type}; returns null after recording a problem. */
  Object bind(YamlNode node, Type type, String path, RecordComponent spec) {
    lines.put(path, node.line());
    Class<?> raw = rawClass(type);
    if (raw.isRecord()) {
      return bindRecord(node, raw, path);
    }
    if (raw == List.class) {
      return bindList(node, typeArg(type, 0), path);
    }
    if (raw == Map.class) {
      return bindMap(node, typeArg(type, 1), path);
    }
    if (!(node instanceof YamlNode.Scalar s) || s.text() == null) {
      problem(node, path, "expected " + describe(raw) + ", found " + node.kindWord(), spec);
      return null;
    }
    return bindScalar(s, raw, path, spec);
  }

  private Object bindRecord(YamlNode node, Class<?> type, String path) {
    if (!(node instanceof YamlNode.Mapping m)) {
      problem(node, path, "expected a section of key: value lines, found " + node.kindWord(), null);
      return null;
    }
    RecordComponent[] comps = type.getRecordComponents();
    Map<String, RecordComponent> known = new LinkedHashMap<>();
    for (RecordComponent c : comps) {
      known.put(c.getName(), c);
    }
    // A misspelled key is reported once, as unknown with its likely meaning, not again as the
    // missing key it was meant to be.
    java.util.Set<String> suggested = new java.util.HashSet<>();
    for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
      if (!known.containsKey(e.getKey())) {
        String suggestion = Suggest.closest(e.getKey(), known.keySet());
        if (suggestion != null) {
          suggested.add(suggestion);
        }
        problems.add(
            ConfigProblem.at(
                file,
                m.keyLines().getOrDefault(e.getKey(), e.getValue().line()),
                e.getValue().column(),
                join(path, e.getKey()),
                "unknown key \"" + e.getKey() + "\"",
                (suggestion == null ? "" : "did you mean \"" + suggestion + "\"? ")
                    + "keys allowed here: "
                    + String.join(", ", known.keySet())));
      }
    }
    Object[] args = new Object[comps.length];
    boolean ok = true;
    for (int i = 0; i < comps.length; i++) {
      RecordComponent c = comps[i];
      String p = join(path, c.getName());
      YamlNode v = m.entries().get(c.getName());
      if (v == null || (v instanceof YamlNode.Scalar s && s.text() == null)) {
        Object absent = absentValue(c, p, m, suggested.contains(c.getName()));
        if (absent == MISSING) {
          ok = false;
        } else {
          args[i] = absent;
        }
        continue;
      }
      Object bound = bind(v, c.getGenericType(), p, c);
      keyLine(p, m, c.getName());
      if (bound == null) {
        ok = false;
      }
      args[i] = bound;
    }
    if (!ok) {
      return null;
    }
    return construct(type, comps, args, m, path);
  }

  /**
   * A section's line is its key's line ("settings:"), not its first entry's, so a problem with the
   * section as a whole points at its heading.
   */
  private void keyLine(String path, YamlNode.Mapping parent, String key) {
    Integer line = parent.keyLines().get(key);
    if (line != null) {
      lines.put(path, line);
    }
  }

  private static final Object MISSING = new Object();

  private Object absentValue(
      RecordComponent c, String path, YamlNode.Mapping parent, boolean alreadyReported) {
    Spec.Default d = c.getAnnotation(Spec.Default.class);
    if (d != null) {
      YamlNode.Scalar s =
          new YamlNode.Scalar(d.value(), YamlNode.ScalarKind.TEXT, parent.line(), parent.column());
      return bindScalarDefault(s, c, path);
    }
    if (c.isAnnotationPresent(Spec.Optional.class)) {
      Class<?> raw = c.getType();
      if (raw == List.class) {
        return List.of();
      }
      if (raw == Map.class) {
        return Map.of();
      }
      return null;
    }
    if (alreadyReported) {
      return MISSING;
    }
    Spec.Example ex = c.getAnnotation(Spec.Example.class);
    String example = ex != null ? ex.value() : exampleFor(c.getType());
    problems.add(
        ConfigProblem.at(
            file,
            parent.line(),
            parent.column(),
            path,
            "the required key \"" + c.getName() + "\" is missing",
            "add a line \"" + c.getName() + ": " + example + "\" in this section"));
    return MISSING;
  }

  /**
   * A {@link Spec.Default} is read by the same converter as a written value; its YAML kind is what
   * YAML would have made of the same text unquoted.
   */
  private Object bindScalarDefault(YamlNode.Scalar s, RecordComponent c, String path) {
    String t = s.text();
    YamlNode.ScalarKind kind =
        t.matches("-?[0-9]+")
            ? YamlNode.ScalarKind.INTEGER
            : t.equals("true") || t.equals("false")
                ? YamlNode.ScalarKind.BOOLEAN
                : YamlNode.ScalarKind.TEXT;
    Object v = bindScalar(new YamlNode.Scalar(t, kind, s.line(), s.column()), c.getType(), path, c);
    if (v == null) {
      throw new IllegalStateException("the default of " + path + " is invalid: " + t);
    }
    return v;
  }

  private Object construct(
      Class<?> type, RecordComponent[] comps, Object[] args, YamlNode node, String path) {
    Class<?>[] types = new Class<?>[comps.length];
    for (int i = 0; i < comps.length; i++) {
      types[i] = comps[i].getType();
    }
    try {
      Constructor<?> ctor = type.getDeclaredConstructor(types);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      // A compact constructor refused a combination of values.
      Throwable cause = e.getCause();
      String msg = cause == null ? "invalid values" : cause.getMessage();
      problem(node, path, msg, null);
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("config record " + type + " cannot be built", e);
    }
  }

  private List<Object> bindList(YamlNode node, Type item, String path) {
    if (!(node instanceof YamlNode.Sequence seq)) {
      problem(
          node, path, "expected a list (lines starting with '- '), found " + node.kindWord(), null);
      return null;
    }
    List<Object> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < seq.items().size(); i++) {
      Object v = bind(seq.items().get(i), item, path + "[" + i + "]", null);
      if (v == null) {
        ok = false;
      }
      out.add(v);
    }
    return ok ? List.copyOf(out) : null;
  }

  private Map<String, Object> bindMap(YamlNode node, Type value, String path) {
    if (!(node instanceof YamlNode.Mapping m)) {
      problem(node, path, "expected a section of key: value lines, found " + node.kindWord(), null);
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    boolean ok = true;
    for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
      Object v = bind(e.getValue(), value, join(path, e.getKey()), null);
      keyLine(join(path, e.getKey()), m, e.getKey());
      if (v == null) {
        ok = false;
      }
      out.put(e.getKey(), v);
    }
    return ok ? java.util.Collections.unmodifiableMap(out) : null;
  }

  private Object bindScalar(YamlNode.Scalar s, Class<?> raw, String path, RecordComponent spec) {
    try {
      return ScalarTypes.of(raw).converter().convert(s, spec);
    } catch (ScalarTypes.Refusal r) {
      problem(s, path, r.getMessage(), spec, r.fix());
      return null;
    }
  }

  private void problem(YamlNode n, String path, String message, RecordComponent spec) {
    problem(n, path, message, spec, null);
  }

  private void problem(YamlNode n, String path, String message, RecordComponent spec, String fix) {
    String f = fix;
    if (f == null) {
      Spec.Example ex = spec == null ? null : spec.getAnnotation(Spec.Example.class);
      f = ex != null ? "write e.g. " + ex.value() : exampleHint(spec);
    }
    problems.add(ConfigProblem.at(file, n.line(), n.column(), path, message, f));
  }

  private static String exampleHint(RecordComponent spec) {
    return spec == null ? "" : "write e.g. " + exampleFor(spec.getType());
  }

  private static String exampleFor(Class<?> raw) {
    return ScalarTypes.isScalar(raw) ? ScalarTypes.of(raw).example() : "a value";
  }

  private static String describe(Class<?> raw) {
    return ScalarTypes.isScalar(raw) ? ScalarTypes.of(raw).description() : "a value";
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static Class<?> rawClass(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("unsupported config type " + t);
  }

  private static Type typeArg(Type t, int i) {
    if (t instanceof ParameterizedType p) {
      Type[] args = p.getActualTypeArguments();
      return args[Math.min(i, args.length - 1)];
    }
    throw new IllegalStateException("raw collection type in config model: " + t);
  }
}
