package io.burnguard.agent.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the CLI reads and writes wire lines with {@link JsonLines} instead of the data-binding
 * mapper; both must make the same trees of the same text and the same text of the same trees.
 */
class JsonLinesTest {
  private static final List<String> LINES =
      List.of(
          "{\"type\":\"progress\",\"phase\":\"write\",\"done\":1048576,\"total\":-1}",
          "{\"type\":\"info\",\"message\":\"caf\\u00e9 \\\"q\\\" \\n \\t \\u0001 \\ud83d\\ude00 ü\"}",
          "{\"type\":\"result\",\"exit\":0,\"message\":\"\",\"data\":{\"timing\":"
              + "{\"pipelineMillis\":2604.25,\"driverMillis\":2558,\"e\":1.5e300,\"n\":-0.0}}}",
          "{\"big\":12345678901234567890123,\"long\":9007199254740993,\"int\":-2147483648,"
              + "\"frac\":0.1000000000000000055511151231257827}",
          "{\"a\":[],\"o\":{},\"n\":null,\"t\":true,\"f\":false,\"nested\":[[1,[2,{\"x\":[3]}]]]}",
          "[1,\"two\",{\"three\":3}]",
          "\"just a string\"",
          "42",
          "  {\"spaces\" : [ 1 , 2 ] }  ");

  @Test
  void readsEveryLineAsTheMapperDoes() throws Exception {
    for (String line : LINES) {
      JsonNode mapper = Wire.mapper().readTree(line);
      JsonNode mine = JsonLines.read(line);
      assertEquals(mapper, mine, line);
      assertEquals(mapper.toString(), mine.toString(), line);
    }
    assertEquals(Wire.mapper().readTree(""), JsonLines.read(""));
  }

  @Test
  void writesEveryTreeAsTheMapperDoes() throws Exception {
    for (String line : LINES) {
      JsonNode n = Wire.mapper().readTree(line);
      assertEquals(
          Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(n),
          JsonLines.pretty(n),
          line);
      assertArrayEquals(Wire.line(n), JsonLines.line(n), line);
    }
    ObjectNode built = Wire.object();
    built.put("decimal", new BigDecimal("1E+3"));
    built.put("bigint", new BigInteger("-98765432109876543210"));
    built.put("float", 0.1f);
    built.put("short", (short) 7);
    built.put("nothing", (String) null);
    built.putArray("mixed").add(1L).add(2.5).add("x").addNull();
    built.put("binary", "bytes".getBytes(StandardCharsets.US_ASCII));
    built.putPOJO("pojo", List.of("a", 1));
    assertEquals(
        Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(built),
        JsonLines.pretty(built));
    assertArrayEquals(Wire.line(built), JsonLines.line(built));
  }

  @Test
  void refusesWhatTheMapperRefuses() throws Exception {
    List<String> bad =
        List.of(
            "{\"type\":\"result\",\"type\":\"info\"}",
            "{\"a\":1} {\"b\":2}",
            "{\"a\":1}x",
            "{\"a\":",
            "{\"a\":1",
            "[1,2",
            "{'a':1}",
            "{\"a\":NaN}",
            "nul",
            "[".repeat(17) + "]".repeat(17),
            "\"" + "x".repeat(Wire.MAX_REQUEST_BYTES + 1) + "\"");
    for (String line : bad) {
      assertThrows(JacksonException.class, () -> Wire.mapper().readTree(line), line);
      assertThrows(JacksonException.class, () -> JsonLines.read(line), line);
    }
    String deepest = "[".repeat(16) + "]".repeat(16);
    assertEquals(Wire.mapper().readTree(deepest).toString(), JsonLines.read(deepest).toString());
  }
}
