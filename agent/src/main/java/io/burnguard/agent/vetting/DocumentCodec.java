package io.burnguard.agent.vetting;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Strict parsing and canonical writing of {@code manifest.json} and {@code withdrawals.json}.
 *
 * <p>Strict because the signed bytes are the authority: duplicate keys (which parsers resolve
 * differently), unknown fields and wrong types are refused, never guessed at.
 */
final class DocumentCodec {
  /** Far above a real manifest; refuses a hostile multi-megabyte document before parsing. */
  static final int MAX_MANIFEST_BYTES = 64 * 1024;

  static final int MAX_WITHDRAWALS_BYTES = 1024 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Set<String> MANIFEST_FIELDS =
      Set.of(
          "type",
          "schemaVersion",
          "name",
          "version",
          "models",
          "file",
          "length",
          "sha256",
          "issued",
          "allowDowngrade");
  private static final Set<String> WITHDRAWAL_FIELDS =
      Set.of("type", "schemaVersion", "sequence", "issued", "expires", "withdrawn");

  private DocumentCodec() {}

  static void checkSize(String what, int size, int limit) throws ReleaseRejectedException {
    if (size > limit) {
      throw new ReleaseRejectedException(
          Reason.DOCUMENT_TOO_LARGE,
          String.format(Locale.ROOT, "%s is %d bytes; the limit is %d", what, size, limit));
    }
  }

  static Manifest parseManifest(String what, byte[] bytes) throws ReleaseRejectedException {
    checkSize(what, bytes.length, MAX_MANIFEST_BYTES);
    try {
      JsonNode n = object(bytes, MANIFEST_FIELDS, "burnguard-release");
      List<String> models = new ArrayList<>();
      for (JsonNode m : array(n, "models")) {
        models.add(textOf(m, "models[]"));
      }
      return new Manifest(
          text(n, "name"),
          text(n, "version"),
          models,
          text(n, "file"),
          number(n, "length"),
          text(n, "sha256"),
          instant(n, "issued"),
          bool(n, "allowDowngrade"));
    } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
      throw new ReleaseRejectedException(
          Reason.MANIFEST_INVALID, what + " does not follow the release schema: " + e.getMessage());
    }
  }

  static WithdrawalList parseWithdrawals(String what, byte[] bytes)
      throws ReleaseRejectedException {
    checkSize(what, bytes.length, MAX_WITHDRAWALS_BYTES);
    try {
      JsonNode n = object(bytes, WITHDRAWAL_FIELDS, "burnguard-withdrawals");
      List<WithdrawalList.Entry> entries = new ArrayList<>();
      for (JsonNode e : array(n, "withdrawn")) {
        if (!e.isObject() || e.size() != 3) {
          throw new IllegalArgumentException(
              "withdrawn[] entries need exactly name, version, reason");
        }
        entries.add(
            new WithdrawalList.Entry(text(e, "name"), text(e, "version"), text(e, "reason")));
      }
      return new WithdrawalList(
          number(n, "sequence"), instant(n, "issued"), instant(n, "expires"), entries);
    } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
      throw new ReleaseRejectedException(
          Reason.WITHDRAWALS_INVALID,
          what + " does not follow the withdrawal-list schema: " + e.getMessage());
    }
  }

  /** The canonical bytes of a manifest (pretty JSON, fixed field order, trailing newline). */
  static byte[] writeManifest(Manifest m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "burnguard-release");
    n.put("schemaVersion", 1);
    n.put("name", m.name());
    n.put("version", m.version());
    ArrayNode models = n.putArray("models");
    m.models().forEach(models::add);
    n.put("file", m.file());
    n.put("length", m.length());
    n.put("sha256", m.sha256());
    n.put("issued", m.issued().toString());
    n.put("allowDowngrade", m.allowDowngrade());
    return toBytes(n);
  }

  /** The canonical bytes of a withdrawal list. */
  static byte[] writeWithdrawals(WithdrawalList w) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "burnguard-withdrawals");
    n.put("schemaVersion", 1);
    n.put("sequence", w.sequence());
    n.put("issued", w.issued().toString());
    n.put("expires", w.expires().toString());
    ArrayNode list = n.putArray("withdrawn");
    for (WithdrawalList.Entry e : w.withdrawn()) {
      list.addObject().put("name", e.name()).put("version", e.version()).put("reason", e.reason());
    }
    return toBytes(n);
  }

  private static byte[] toBytes(ObjectNode n) {
    try {
      return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize JSON", e);
    }
  }

  private static JsonNode object(byte[] bytes, Set<String> fields, String type) throws IOException {
    JsonNode n = JSON.readTree(bytes);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.contains(f)) {
        throw new IllegalArgumentException("unknown field '" + f + "'");
      }
    }
    if (!type.equals(text(n, "type"))) {
      throw new IllegalArgumentException("type is '" + n.get("type") + "'; expected " + type);
    }
    if (number(n, "schemaVersion") != 1) {
      throw new IllegalArgumentException(
          "schemaVersion is " + n.get("schemaVersion") + "; expected 1");
    }
    return n;
  }

  private static JsonNode field(JsonNode n, String f) {
    JsonNode v = n.get(f);
    if (v == null) {
      throw new IllegalArgumentException("field '" + f + "' is missing");
    }
    return v;
  }

  private static String text(JsonNode n, String f) {
    return textOf(field(n, f), f);
  }

  private static String textOf(JsonNode v, String f) {
    if (!v.isTextual()) {
      throw new IllegalArgumentException("field '" + f + "' must be a string, found " + v);
    }
    return v.asText();
  }

  private static long number(JsonNode n, String f) {
    JsonNode v = field(n, f);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException("field '" + f + "' must be an integer, found " + v);
    }
    return v.asLong();
  }

  private static boolean bool(JsonNode n, String f) {
    JsonNode v = field(n, f);
    if (!v.isBoolean()) {
      throw new IllegalArgumentException("field '" + f + "' must be true or false, found " + v);
    }
    return v.asBoolean();
  }

  private static Instant instant(JsonNode n, String f) {
    return Instant.parse(text(n, f));
  }

  private static Iterable<JsonNode> array(JsonNode n, String f) {
    JsonNode v = field(n, f);
    if (!v.isArray()) {
      throw new IllegalArgumentException("field '" + f + "' must be an array, found " + v);
    }
    return v;
  }
}
