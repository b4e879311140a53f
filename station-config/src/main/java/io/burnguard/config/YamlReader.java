package io.burnguard.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads YAML text into a located {@link YamlNode} tree with Jackson's YAML parser.
 *
 * <p>Threats: a station.yaml is written by people and may be hostile (a copied file). Nesting
 * depth, string length and document size are bounded by Jackson's read constraints, and duplicate
 * keys are reported (YAML forbids them; silently keeping the last one hides mistakes such as two
 * {@code station:} sections). Anchors ({@code &name}) and aliases ({@code *name}) are refused:
 * Jackson hands an alias over as the plain text of its name, so {@code socketGroup: *sid} would
 * silently become the group "sid", and aliases are the tool of "billion laughs" expansion.
 */
final class YamlReader {
  /** A station.yaml is a few KiB; anything near this is a mistake or an attack. */
  static final int MAX_BYTES = 1 << 20;

  private static final int MAX_DEPTH = 32;

  private final YAMLFactory factory;
  private final List<ConfigProblem> problems;
  private final String file;

  YamlReader(String file, List<ConfigProblem> problems) {
    this.file = file;
    this.problems = problems;
    this.factory =
        YAMLFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(64 * 1024)
                    .maxDocumentLength(MAX_BYTES)
                    .build())
            .build();
  }

  private void refuse(int line, int col, String what, String found) {
    problems.add(
        ConfigProblem.at(
            file,
            line,
            col,
            "",
            "YAML " + what + " are not accepted (found " + found + ")",
            "write the value out in full where it is used"));
  }

  /**
   * Jackson reports aliases but not the anchors of scalars, so anchors are found in SnakeYAML's
   * event stream (events only: nothing is composed or expanded). Its parser alone, as {@code
   * Yaml.parse} uses it with default options: a {@code Yaml} object would also build its
   * constructor and representer machinery (and initialise java.util.logging), about half the cost
   * of reading a station.yaml at every CLI command (issue 17).
   */
  private void refuseAnchors(String text) {
    try {
      Parser parser = new ParserImpl(new StreamReader(text), new LoaderOptions());
      while (parser.peekEvent() != null) {
        Event e = parser.getEvent();
        if (e instanceof NodeEvent n && !(e instanceof AliasEvent) && n.getAnchor() != null) {
          refuse(
              e.getStartMark().getLine() + 1,
              e.getStartMark().getColumn() + 1,
              "anchors",
              "&" + n.getAnchor());
        }
      }
    } catch (RuntimeException e) {
      // Not valid YAML: Jackson's parse below reports it with its line.
    }
  }

  /** Parses {@code text}; returns null (with a problem recorded) when it is not valid YAML. */
  YamlNode read(String text) {
    refuseAnchors(text);
    try (JsonParser p = factory.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return new YamlNode.Mapping(Map.of(), Map.of(), 1, 1);
      }
      YamlNode root = readValue(p, t);
      JsonToken extra = p.nextToken();
      if (extra != null) {
        JsonLocation l = p.currentTokenLocation();
        problems.add(
            ConfigProblem.at(
                file,
                l.getLineNr(),
                l.getColumnNr(),
                "",
                "the file holds more than one YAML document",
                "keep one document: remove the second '---' and what follows"));
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String msg = e.getOriginalMessage();
      problems.add(
          ConfigProblem.at(
              file,
              l == null ? 0 : l.getLineNr(),
              l == null ? 0 : l.getColumnNr(),
              "",
              "not valid YAML: " + firstLine(msg),
              "fix the indentation or quoting at that line (YAML uses spaces, never tabs)"));
      return null;
    } catch (IOException e) {
      problems.add(
          ConfigProblem.at(
              file, 0, 0, "", "cannot be parsed: " + e.getMessage(), "check the file's encoding"));
      return null;
    }
  }

  private YamlNode readValue(JsonParser p, JsonToken t) throws IOException {
    JsonLocation loc = p.currentTokenLocation();
    int line = loc.getLineNr();
    int col = loc.getColumnNr();
    if (p instanceof YAMLParser y && (y.isCurrentAlias() || y.getObjectId() != null)) {
      boolean alias = y.isCurrentAlias();
      String what = alias ? "*" + p.getText() : "&" + y.getObjectId();
      problems.add(
          ConfigProblem.at(
              file,
              line,
              col,
              "",
              "YAML " + (alias ? "aliases" : "anchors") + " are not accepted (found " + what + ")",
              "write the value out in full where it is used"));
    }
    switch (t) {
      case START_OBJECT:
        return readMapping(p, line, col);
      case START_ARRAY:
        List<YamlNode> items = new ArrayList<>();
        for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
          items.add(readValue(p, n));
        }
        return new YamlNode.Sequence(items, line, col);
      case VALUE_NULL:
        return new YamlNode.Scalar(null, YamlNode.ScalarKind.NULL, line, col);
      case VALUE_NUMBER_INT:
        return new YamlNode.Scalar(p.getText(), YamlNode.ScalarKind.INTEGER, line, col);
      case VALUE_NUMBER_FLOAT:
        return new YamlNode.Scalar(p.getText(), YamlNode.ScalarKind.DECIMAL, line, col);
      case VALUE_TRUE:
      case VALUE_FALSE:
        return new YamlNode.Scalar(p.getText(), YamlNode.ScalarKind.BOOLEAN, line, col);
      default:
        return new YamlNode.Scalar(p.getText(), YamlNode.ScalarKind.TEXT, line, col);
    }
  }

  private YamlNode readMapping(JsonParser p, int line, int col) throws IOException {
    Map<String, YamlNode> entries = new LinkedHashMap<>();
    Map<String, Integer> keyLines = new LinkedHashMap<>();
    for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
      String key = p.currentName();
      JsonLocation kl = p.currentTokenLocation();
      JsonToken v = p.nextToken();
      YamlNode value = readValue(p, v);
      if (entries.containsKey(key)) {
        problems.add(
            ConfigProblem.at(
                file,
                kl.getLineNr(),
                kl.getColumnNr(),
                key,
                "the key \"" + key + "\" appears twice (first at line " + keyLines.get(key) + ")",
                "keep one \"" + key + "\" and merge what the two held"));
        continue;
      }
      entries.put(key, value);
      keyLines.put(key, kl.getLineNr());
    }
    return new YamlNode.Mapping(entries, keyLines, line, col);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
