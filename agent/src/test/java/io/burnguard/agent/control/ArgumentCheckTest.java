package io.burnguard.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 12, finding 8: every string argument is bounded, typed text is one printable line. */
class ArgumentCheckTest {
  private static String refused(String argsJson) throws Exception {
    return assertThrows(
            BadRequest.class, () -> ArgumentCheck.check(Wire.mapper().readTree(argsJson)))
        .getMessage();
  }

  @Test
  void controlAndFormattingCharactersInFreeTextAreRefusedNamingTheField() throws Exception {
    String esc = refused("{\"reworkReason\":\"ok \\u001b[2J\\u001b[32mPASS\"}");
    assertTrue(
        esc.startsWith(
            "argument \"reworkReason\" holds the control or formatting character U+001B"),
        esc);
    assertTrue(refused("{\"note\":\"a\\r\\nFAKE LOG\"}").contains("U+000D"));
    assertTrue(refused("{\"note\":\"nul\\u0000\"}").contains("U+0000"));
    assertTrue(refused("{\"reworkReason\":\"\\u202Eevil\"}").contains("U+202E"));
  }

  @Test
  void everyStringHasABoundAndUnknownFieldsTheDefault() throws Exception {
    String longReason = refused("{\"reworkReason\":\"" + "x".repeat(501) + "\"}");
    assertEquals(
        "argument \"reworkReason\" is 501 characters long; at most 500 are accepted; the request"
            + " was refused and nothing was recorded",
        longReason);
    assertTrue(refused("{\"barcode\":\"" + "1".repeat(129) + "\"}").contains("at most 128"));
    assertTrue(refused("{\"whatever\":\"" + "y".repeat(257) + "\"}").contains("at most 256"));
    assertTrue(refused("{\"x\":{\"deep\":\"\\u001b\"}}").contains("argument \"x.deep\""));
  }

  @Test
  void documentsMayHoldLineBreaksButNotEscapesAndArraysAreBounded() throws Exception {
    ArgumentCheck.check(Wire.mapper().readTree("{\"heads\":[\"{\\n  \\\"type\\\": 1\\n}\"]}"));
    assertTrue(refused("{\"heads\":[\"a\",\"\\u001b\"]}").contains("argument \"heads[1]\""));
    String many = "[" + "\"a\",".repeat(64) + "\"a\"]";
    assertTrue(refused("{\"heads\":" + many + "}").contains("has 65 elements; at most 64"));
    ArgumentCheck.check(
        Wire.mapper().readTree("{\"note\":\"Umlaut ü, 中文, back\\\\slash\",\"quantity\":5}"));
  }
}
