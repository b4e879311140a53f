package io.burnguard.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class BurnKeysTest {
  private static final String PAYLOAD =
      "{\"row\":{\"barcode\":\"SN1\",\"extra\":{\"a\":[1,2]},\"ended_at\":null,"
          + "\"firmware_name\":\"ipc\",\"firmware_version\":\"5.4.1\",\"fixture\":\"fx1\","
          + "\"id\":7,\"model\":\"M\",\"operator\":\"op1\",\"outcome\":\"PASSED\","
          + "\"started_at\":\"2026-01-05T06:00:00.000Z\",\"work_order\":\"WO-1\"},"
          + "\"table\":\"burns\"}";

  @Test
  void keysAreTheRowImageColumnsInTheirPositions() throws IOException {
    assertArrayEquals(
        new String[] {
          "SN1",
          "ipc",
          "5.4.1",
          "M",
          "WO-1",
          "PASSED",
          "2026-01-05T06:00:00.000Z",
          null,
          "op1",
          "fx1"
        },
        BurnKeys.of(PAYLOAD));
    assertEquals(1, BurnKeys.position("barcode"));
    assertEquals(10, BurnKeys.position("fixture"));
    assertThrows(IllegalArgumentException.class, () -> BurnKeys.position("signers"));
  }

  @Test
  void differenceNamesTheFirstColumnThatDiffers() throws IOException {
    String[] stored = BurnKeys.of(PAYLOAD);
    assertNull(BurnKeys.difference(PAYLOAD, stored));
    stored[7] = "2026-01-05T06:00:02.000Z";
    assertEquals(
        "ended_at is '2026-01-05T06:00:02.000Z' in PostgreSQL's burn_keys but null in the signed"
            + " payload",
        BurnKeys.difference(PAYLOAD, stored));
  }

  @Test
  void aPayloadThatIsNotARowImageIsADifference() {
    String d = BurnKeys.difference("[1,2]", new String[10]);
    assertTrue(d.startsWith("its payload is not a row image"), d);
    assertTrue(BurnKeys.difference("{\"row\":", new String[10]).contains("not a row image"));
  }

  @Test
  void onlyBurnRefsCarryKeys() {
    assertTrue(BurnKeys.isBurn("burns/12"));
    assertEquals(false, BurnKeys.isBurn("alerts/3"));
  }
}
