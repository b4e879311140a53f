package io.burnguard.agent.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical JSON for audit payloads: compact, keys sorted at every level, UTF-8 when hashed. The
 * same event always yields the same bytes, so a payload can be recomputed from the row it records
 * and compared.
 */
public final class Canonical {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Canonical() {}

  /** The canonical JSON of a map of strings, numbers, booleans, nulls, lists and maps. */
  public static String json(Map<String, ?> fields) {
    try {
      return MAPPER.writeValueAsString(new TreeMap<>(fields));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("payload cannot be written as JSON: " + e.getMessage(), e);
    }
  }
}
