package io.burnguard.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.burnguard.agent.contract.Arguments;
import io.burnguard.config.UntrustedText;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks every string in a request's {@code args} against {@link Arguments} before a handler runs.
 *
 * <p>Threat: text typed into a request (a rework reason, an alert note) is stored in the ledger and
 * printed later by {@code trace} or written to the log. ESC sequences repaint an operator's screen,
 * CR LF forges log lines, NUL truncates, U+202E makes a line read backwards. Refusing such text at
 * the protocol edge (exit 2, naming the field) keeps it out of every later reader, whatever the
 * handler does with it.
 */
final class ArgumentCheck {
  private ArgumentCheck() {}

  /** Throws a {@link BadRequest} naming the first argument that is too long or not plain text. */
  static void check(JsonNode args) throws BadRequest {
    Iterator<Map.Entry<String, JsonNode>> fields = args.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      checkValue(f.getKey(), f.getKey(), f.getValue());
    }
  }

  private static void checkValue(String name, String where, JsonNode v) throws BadRequest {
    if (v.isTextual()) {
      checkText(name, where, v.asText());
    } else if (v.isArray()) {
      if (v.size() > Arguments.MAX_ARRAY) {
        throw new BadRequest(
            "argument \""
                + where
                + "\" has "
                + v.size()
                + " elements; at most "
                + Arguments.MAX_ARRAY
                + " are accepted");
      }
      for (int i = 0; i < v.size(); i++) {
        checkValue(name, where + "[" + i + "]", v.get(i));
      }
    } else if (v.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        checkText("field name", where + " field name", f.getKey());
        checkValue(f.getKey(), where + "." + f.getKey(), f.getValue());
      }
    }
  }

  private static void checkText(String name, String where, String value) throws BadRequest {
    String checked = value;
    if (Arguments.DOCUMENTS.contains(name)) {
      // A document's own line breaks and tabs are its layout; its parser reads it as data.
      checked = value.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }
    String problem = UntrustedText.problem(checked, Arguments.maxChars(name));
    if (problem != null) {
      throw new BadRequest(
          "argument \""
              + UntrustedText.neutralize(where, 64)
              + "\" "
              + problem
              + "; the request was refused and nothing was recorded");
    }
  }
}
