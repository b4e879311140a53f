package io.burnguard.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading fleet query rows from chained row images with the streaming parser. */
class FleetRowTest {
  @Test
  void readsTheWantedColumnsOfTheRowObjectInColumnOrder() throws Exception {
    String payload =
        ("{'before':{'row':{'barcode':'WRONG'}},'row':{'outcome':'PASSED','attempt':2,"
                + "'barcode':'SN-1,\\'x\\'','extra':[1,{'a':2}],'parts':{'a':1},'operator':null,"
                + "'station':'forged'},'table':'burns'}")
            .replace('\'', '"');
    Map<String, Object> m =
        FleetQueries.row(
            "st-1",
            7,
            "burns/3",
            payload.getBytes(StandardCharsets.UTF_8),
            List.of("barcode", "attempt", "parts", "operator", "missing", "outcome", "station"));
    Map<String, Object> want = new LinkedHashMap<>();
    want.put("station", "st-1");
    want.put("chainSeq", 7L);
    want.put("ref", "burns/3");
    want.put("barcode", "SN-1,\"x\"");
    want.put("attempt", "2");
    want.put("parts", "");
    want.put("operator", null);
    want.put("missing", null);
    want.put("outcome", "PASSED");
    assertEquals(want, m);
    assertEquals(
        Arrays.asList(want.keySet().toArray()), Arrays.asList(m.keySet().toArray()), "order");
  }

  @Test
  void aPayloadThatIsNotARowImageNamesTheEntry() {
    for (String bad : List.of("[1,2]", "{\"row\":{\"barcode\":", "not json")) {
      SQLException e =
          assertThrows(
              SQLException.class,
              () ->
                  FleetQueries.row(
                      "st-2",
                      9,
                      "burns/4",
                      bad.getBytes(StandardCharsets.UTF_8),
                      List.of("barcode")),
              bad);
      assertTrue(
          e.getMessage().contains("entry 9 of st-2 (burns/4) is not a row image"), e.getMessage());
    }
  }
}
