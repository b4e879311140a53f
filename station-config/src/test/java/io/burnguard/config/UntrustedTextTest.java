package io.burnguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UntrustedTextTest {
  /** The red team's console reply (issue 12, finding 3). */
  static final String ROGUE =
      "\u001b[2J\u001b[H\u001b[32mPASS all units verified OK\u001b]0;owned\u0007";

  @Test
  void aRogueConsoleReplyCannotPaintTheScreen() {
    String safe = UntrustedText.neutralize(ROGUE);
    assertEquals("\\x1B[2J\\x1B[H\\x1B[32mPASS all units verified OK\\x1B]0;owned\\x07", safe);
    assertTrue(safe.chars().allMatch(c -> c >= 0x20 && c < 0x7f), safe);
  }

  @Test
  void bidiOverridesZeroWidthAndLineBreaksAreEscaped() {
    assertEquals(
        "ok\\u{202E}cba\\u{200B}\\r\\nforged\\u{2028}",
        UntrustedText.neutralize("ok\u202Ecba\u200B\r\nforged\u2028"));
  }

  @Test
  void aBackslashIsDoubledSoAnEscapeCannotBeForged() {
    assertEquals("\\\\x1B", UntrustedText.neutralize("\\x1B"));
  }

  @Test
  void printableUnicodeIsKept() {
    assertEquals("Prüfung 检查 ✓", UntrustedText.neutralize("Prüfung 检查 ✓"));
  }

  @Test
  void aLoneSurrogateIsEscaped() {
    assertEquals("a\\u{D800}b", UntrustedText.neutralize("a\uD800b"));
  }

  @Test
  void lengthIsBoundedAndWhatIsCutIsCounted() {
    String s = UntrustedText.neutralize("x".repeat(1000), 10);
    assertEquals("xxxxxxxxxx... (990 more chars)", s);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u001bb", "line\r\nnext", "nul\u0000", "rtl\u202Eevil", "tab\there"})
  void typedFreeTextWithControlsIsRefused(String s) {
    String p = UntrustedText.problem(s, 100);
    assertTrue(p != null && p.contains("U+"), String.valueOf(p));
  }

  @Test
  void typedFreeTextNamesThePositionAndTheLimit() {
    assertEquals(
        "holds the control or formatting character U+001B at position 2; use printable text on"
            + " one line",
        UntrustedText.problem("a\u001b", 10));
    assertTrue(UntrustedText.problem("x".repeat(11), 10).contains("at most 10"));
    assertNull(UntrustedText.problem("reflowed after a bad solder joint (ticket 42)", 200));
  }
}
