package io.burnguard.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where every value came from, so that each problem can
 * name its line. Jackson's own tree model drops locations, so {@link YamlReader} builds this one
 * from Jackson's YAML token stream.
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

  /** 1-based line, 0 when unknown. */
  int line();

  /** 1-based column, 0 when unknown. */
  int column();

  /** A human word for the node's kind, used in "expected X, found Y" messages. */
  String kindWord();

  /**
   * What YAML made of a scalar: {@code 12} is a number, {@code yes} a boolean, {@code "12"} text.
   */
  enum ScalarKind {
    TEXT,
    INTEGER,
    DECIMAL,
    BOOLEAN,
    NULL
  }

  /** A plain value; {@code text} is null for YAML null ({@code ~} or an empty value). */
  record Scalar(String text, ScalarKind kind, int line, int column) implements YamlNode {
    @Override
    public String kindWord() {
      return text == null ? "nothing (null)" : "\"" + text + "\"";
    }
  }

  /** A mapping; insertion order kept; {@code keyLines} holds the line of each key. */
  record Mapping(Map<String, YamlNode> entries, Map<String, Integer> keyLines, int line, int column)
      implements YamlNode {
    public Mapping {
      entries = new LinkedHashMap<>(entries);
      keyLines = new LinkedHashMap<>(keyLines);
    }

    @Override
    public String kindWord() {
      return "a mapping (key: value lines)";
    }
  }

  /** A sequence. */
  record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String kindWord() {
      return "a list (- item lines)";
    }
  }
}
