package io.burnguard.agent.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.orders.WorkOrderRefusal.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BarcodeRuleTest {
  private static final BarcodeRule GTIN13 = new BarcodeRule("[0-9]{13}", CheckDigit.GS1_MOD10);

  private static Reason refused(BarcodeRule rule, String barcode) {
    WorkOrderRefusal e = assertThrows(WorkOrderRefusal.class, () -> rule.check(barcode, "WO-1"));
    assertFalse(e.getMessage().isBlank());
    return e.reason();
  }

  @Test
  void gs1Mod10() throws Exception {
    GTIN13.check("4006381333931", "WO-1");
    assertTrue(CheckDigit.GS1_MOD10.valid("96385074")); // EAN-8
    assertTrue(CheckDigit.GS1_MOD10.valid("036000291452")); // UPC-A
    assertEquals(Reason.CHECK_DIGIT, refused(GTIN13, "4006381333932"));
    assertFalse(CheckDigit.GS1_MOD10.valid("40063813339A1"));
  }

  @Test
  void iso7064Mod11_2OrcidIdentifiersAndRefusals() {
    // ORCID iDs end in an ISO 7064 MOD 11-2 check character (orcid.org support, "Structure of
    // the ORCID Identifier": 0000-0002-1825-0097, 0000-0001-5109-3700, 0000-0002-1694-233X).
    assertTrue(CheckDigit.ISO7064_MOD11_2.valid("0000000218250097"));
    assertTrue(CheckDigit.ISO7064_MOD11_2.valid("0000000151093700"));
    assertTrue(CheckDigit.ISO7064_MOD11_2.valid("000000021694233X"));
    assertFalse(CheckDigit.ISO7064_MOD11_2.valid("0000000218250098"));
    assertFalse(CheckDigit.ISO7064_MOD11_2.valid("000000021694233x"));
  }

  /**
   * Published MOD 11-2 check characters. "0794" -> "0" is the worked example of ISO/IEC 7064:2003
   * for MOD 11-2; "079" -> "X" is the example of python-stdnum ({@code stdnum/iso7064/mod_37_2.py},
   * arthurdejong/python-stdnum), which exercises the supplementary check character X.
   */
  @ParameterizedTest(name = "MOD 11-2 of {0} is {1}")
  @CsvSource({"0794, 0", "079, X", "000000021825009, 7", "000000015109370, 0"})
  void iso7064Mod11_2PublishedCheckCharacters(String body, char check) {
    assertEquals(check, CheckDigit.ISO7064_MOD11_2.compute(body));
    assertTrue(CheckDigit.ISO7064_MOD11_2.valid(body + check));
  }

  /**
   * Published MOD 37-2 check characters: "G123489654321" -> "Y" from python-stdnum ({@code
   * stdnum/iso7064/mod_37_2.py}) and node-iso7064 (konfirm/node-iso7064, {@code
   * test/source/Entity/Mod37_2.js}), which also gives "A999915000001" -> "M"; the two long strings
   * are the cases of go-iso7064 (jacoelho/go-iso7064, {@code iso7064/modulo37radix2_test.go}), one
   * of which needs the supplementary check character "*".
   */
  @ParameterizedTest(name = "MOD 37-2 of {0} is {1}")
  @CsvSource({
    "G123489654321, Y",
    "A999915000001, M",
    "LMOSBYFCTRSSJCB3X6U9DUBLKNIH03FO6X963TGXYAHG, *",
    "G7N286AL39FFQNU6BH8SMJB5VGMBCB6WPGMWJK800VU7K, P"
  })
  void iso7064Mod37_2PublishedCheckCharacters(String body, char check) {
    assertEquals(check, CheckDigit.ISO7064_MOD37_2.compute(body));
    assertTrue(CheckDigit.ISO7064_MOD37_2.valid(body + check));
  }

  @Test
  void iso7064Mod37_2RefusesAWrongCheckCharacterAndLowerCase() {
    assertFalse(CheckDigit.ISO7064_MOD37_2.valid("G123489654321Z"));
    assertFalse(CheckDigit.ISO7064_MOD37_2.valid("G123489654321y"));
    assertFalse(CheckDigit.ISO7064_MOD37_2.valid("g123489654321Y"));
    assertFalse(CheckDigit.ISO7064_MOD37_2.valid("G123489654312Y"), "transposition detected");
  }

  @Test
  void hostileBarcodesAreRefusedBeforeTheRuleRuns() {
    BarcodeRule any = new BarcodeRule(".*", CheckDigit.NONE);
    assertEquals(Reason.BARCODE_EMPTY, refused(any, ""));
    assertEquals(Reason.BARCODE_TOO_LONG, refused(any, "7".repeat(10 * 1024)));
    assertEquals(Reason.BARCODE_CHARACTERS, refused(any, "40063813３3931"));
    assertEquals(Reason.BARCODE_CHARACTERS, refused(any, "4006\u001b[2J1333931"));
    assertEquals(Reason.BARCODE_CHARACTERS, refused(any, "4006381333931\r"));
    assertEquals(Reason.BARCODE_CHARACTERS, refused(any, "4006 381333931"));
    assertEquals(Reason.BARCODE_RULE, refused(GTIN13, "400638133393"));
  }

  @Test
  void catastrophicRuleIsStoppedNotHung() {
    BarcodeRule evil = new BarcodeRule("(.*a){12}b", CheckDigit.NONE);
    WorkOrderRefusal e =
        assertThrows(WorkOrderRefusal.class, () -> evil.check("a".repeat(28), "WO-1"));
    assertEquals(Reason.BARCODE_RULE, e.reason());
    assertTrue(e.getMessage().contains("took too long"), e.getMessage());
  }

  @Test
  void badRulesAndSchemesAreRefusedWhereSet() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new BarcodeRule("[0-9", CheckDigit.NONE));
    assertTrue(e.getMessage().contains("not a valid regular expression"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CheckDigit.named("luhn"));
    assertTrue(e.getMessage().contains("known: NONE, GS1_MOD10"), e.getMessage());
    assertEquals(CheckDigit.ISO7064_MOD37_2, CheckDigit.named("iso7064-mod37-2"));
  }
}
