package io.burnguard.agent.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.orders.WorkOrderRefusal.Reason;
import org.junit.jupiter.api.Test;

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
  void iso7064Mod11_2() {
    // ORCID iDs use ISO 7064 MOD 11-2 (published examples).
    assertTrue(CheckDigit.ISO7064_MOD11_2.valid("0000000218250097"));
    assertTrue(CheckDigit.ISO7064_MOD11_2.valid("0000000151093700"));
    assertTrue(CheckDigit.ISO7064_MOD11_2.valid("000000021694233X"));
    assertFalse(CheckDigit.ISO7064_MOD11_2.valid("0000000218250098"));
    assertFalse(CheckDigit.ISO7064_MOD11_2.valid("000000021694233x"));
  }

  @Test
  void iso7064Mod37_2() {
    String body = "SN4X7Q2B";
    char check = CheckDigit.ISO7064_MOD37_2.compute(body);
    assertTrue(CheckDigit.ISO7064_MOD37_2.valid(body + check));
    // The defining property of the pure system: sum of a_i * 2^(n-i) over the whole string is 1
    // mod 37 (ISO/IEC 7064 section 5).
    String all = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";
    String full = body + check;
    long sum = 0;
    for (int i = 0; i < full.length(); i++) {
      sum = (sum * 2 + all.indexOf(full.charAt(i))) % 37;
    }
    assertEquals(1, sum);
    assertFalse(CheckDigit.ISO7064_MOD37_2.valid(body + (check == 'A' ? 'B' : 'A')));
    assertFalse(CheckDigit.ISO7064_MOD37_2.valid("sn4x7q2b" + check));
  }

  @Test
  void mod11PropertyHoldsForEveryCheckCharacter() {
    for (int n = 0; n < 200; n++) {
      String body = String.format("%08d", n * 7919);
      String full = body + CheckDigit.ISO7064_MOD11_2.compute(body);
      long sum = 0;
      for (int i = 0; i < full.length(); i++) {
        char ch = full.charAt(i);
        sum = (sum * 2 + (ch == 'X' ? 10 : ch - '0')) % 11;
      }
      assertEquals(1, sum, full);
    }
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
