package io.burnguard.agent.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The columns of a chained row image ({@code {"row": {...}, ...}}), read with Jackson's streaming
 * parser: no payload tree per entry, for a recall or an audit reads millions of them.
 */
final class RowImageColumns {
  private static final JsonFactory JSON = new JsonFactory();

  /** Receives one column of the row object; the parser is at its value. */
  @FunctionalInterface
  interface Column {
    void accept(String name, JsonToken value, JsonParser p) throws IOException;
  }

  private RowImageColumns() {}

  /** Reads the payload's UTF-8 bytes (as the driver hands them over). */
  static void read(byte[] payload, Column column) throws IOException {
    try (JsonParser p = JSON.createParser(payload)) {
      read(p, column);
    }
  }

  static void read(String payload, Column column) throws IOException {
    try (JsonParser p = JSON.createParser(payload)) {
      read(p, column);
    }
  }

  /**
   * Calls {@code column} for every column of the row object; a nested value is skipped after the
   * call, other members of the payload are skipped.
   *
   * @throws IOException when the payload is not a JSON object
   */
  private static void read(JsonParser p, Column column) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new IOException("not a JSON object");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      boolean image = "row".equals(p.currentName());
      if (p.nextToken() == JsonToken.START_OBJECT && image) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          column.accept(name, v, p);
          if (v.isStructStart()) {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }
}
