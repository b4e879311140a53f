package io.burnguard.agent.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * The CLI's end of the wire format ({@link Wire}) with jackson-core's streaming parser and
 * generator only: JSON trees read and written exactly as {@code Wire.mapper()} reads and writes
 * them, without building the data-binding mapper.
 *
 * <p>Why (issue 17): the mapper's construction and first use load and link several hundred classes
 * of jackson-databind, about 30 ms of CPU at every {@code burnguard burn}; the client only turns a
 * handful of flat lines into trees and one tree into text. The streaming factory costs a few
 * milliseconds.
 *
 * <p>Equivalence with the mapper (checked by {@code JsonLinesTest}): the same read constraints and
 * strict duplicate-key detection, trailing tokens refused ({@code FAIL_ON_TRAILING_TOKENS}), empty
 * input is the missing node, integers become the smallest of int, long and BigInteger nodes and
 * fractions double nodes (the mapper's defaults); output uses the same generator defaults and
 * {@link DefaultPrettyPrinter}. A node type the wire never carries (a POJO node) is handed to the
 * mapper.
 */
final class JsonLines {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(Wire.READ_CONSTRAINTS)
          .build();

  private JsonLines() {}

  /** One line of JSON text as a tree; the missing node when the line is empty. */
  static JsonNode read(String line) throws IOException {
    try (JsonParser p = FACTORY.createParser(line)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return MissingNode.getInstance();
      }
      JsonNode root = tree(p);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new JsonParseException(
            p, "Trailing token (of type " + trailing + ") found after value");
      }
      return root;
    }
  }

  /** The tree whose first token is the parser's current one; iterative, so depth costs no stack. */
  private static JsonNode tree(JsonParser p) throws IOException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    Deque<JsonNode> open = new ArrayDeque<>();
    for (JsonToken t = p.currentToken(); t != null; t = p.nextToken()) {
      JsonNode value;
      if (t == JsonToken.FIELD_NAME) {
        continue;
      } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        JsonNode done = open.pop();
        if (open.isEmpty()) {
          return done;
        }
        continue;
      } else if (t == JsonToken.START_OBJECT) {
        value = nodes.objectNode();
      } else if (t == JsonToken.START_ARRAY) {
        value = nodes.arrayNode();
      } else {
        value = scalar(p, t, nodes);
      }
      JsonNode parent = open.peek();
      if (parent instanceof ObjectNode o) {
        o.set(p.currentName(), value);
      } else if (parent instanceof ArrayNode a) {
        a.add(value);
      } else if (!value.isContainerNode()) {
        return value;
      }
      if (value.isContainerNode()) {
        open.push(value);
      }
    }
    throw new JsonParseException(p, "Unexpected end-of-input in a JSON value");
  }

  /** A scalar as the mapper's tree deserializer makes it (its default features). */
  private static JsonNode scalar(JsonParser p, JsonToken t, JsonNodeFactory nodes)
      throws IOException {
    switch (t) {
      case VALUE_STRING:
        return nodes.textNode(p.getText());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return nodes.numberNode(p.getIntValue());
          case LONG:
            return nodes.numberNode(p.getLongValue());
          default:
            return nodes.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        return nodes.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return nodes.booleanNode(true);
      case VALUE_FALSE:
        return nodes.booleanNode(false);
      case VALUE_NULL:
        return nodes.nullNode();
      default:
        throw new JsonParseException(p, "Unexpected token " + t + " in a JSON value");
    }
  }

  /** {@code node} as one line of compact JSON and a newline, in UTF-8. */
  static byte[] line(JsonNode node) {
    return (write(node, false) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** {@code node} indented as the mapper's default pretty printer does it. */
  static String pretty(JsonNode node) {
    return write(node, true);
  }

  private static String write(JsonNode node, boolean pretty) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(text)) {
      if (pretty) {
        g.setPrettyPrinter(new DefaultPrettyPrinter());
      }
      if (!writeTree(g, node)) {
        return mapperWrite(node, pretty);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a JSON tree to a string", e);
    }
    return text.toString();
  }

  /** Writes {@code node}; false when it holds a node type only the mapper can write. */
  private static boolean writeTree(JsonGenerator g, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT:
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          g.writeFieldName(field.getKey());
          if (!writeTree(g, field.getValue())) {
            return false;
          }
        }
        g.writeEndObject();
        return true;
      case ARRAY:
        g.writeStartArray();
        for (JsonNode element : node) {
          if (!writeTree(g, element)) {
            return false;
          }
        }
        g.writeEndArray();
        return true;
      case STRING:
        g.writeString(node.textValue());
        return true;
      case BOOLEAN:
        g.writeBoolean(node.booleanValue());
        return true;
      case NULL:
      case MISSING:
        g.writeNull();
        return true;
      case NUMBER:
        return writeNumber(g, node);
      default:
        return false;
    }
  }

  private static boolean writeNumber(JsonGenerator g, JsonNode node) throws IOException {
    switch (node.numberType()) {
      case INT:
        g.writeNumber(node.intValue());
        return true;
      case LONG:
        g.writeNumber(node.longValue());
        return true;
      case DOUBLE:
        g.writeNumber(node.doubleValue());
        return true;
      case FLOAT:
        g.writeNumber(node.floatValue());
        return true;
      case BIG_INTEGER:
        g.writeNumber(node.bigIntegerValue());
        return true;
      case BIG_DECIMAL:
        g.writeNumber(node.decimalValue());
        return true;
      default:
        return false;
    }
  }

  private static String mapperWrite(JsonNode node, boolean pretty) {
    try {
      return pretty
          ? Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node)
          : Wire.mapper().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }
}
