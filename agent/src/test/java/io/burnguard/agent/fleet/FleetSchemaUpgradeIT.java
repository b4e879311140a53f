package io.burnguard.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet database made and filled by an older build (schema V3) is brought to the current schema
 * by {@code fleet init-db}: the burn keys of the entries already stored are generated again with
 * every recall column (V4), and the recall lists them (issue 16).
 */
class FleetSchemaUpgradeIT {
  @TempDir Path tmp;

  @Test
  void v3DataIsRecalledAfterTheUpgradeToV4() throws Exception {
    try (PrivatePostgres pg = PrivatePostgres.start()) {
      try (Connection c = pg.admin()) {
        assertEquals(3, FleetSchema.migrate(c, 3));
      }
      try (SimStation st = new SimStation("old-1", "st_old_1", tmp.resolve("s"))) {
        st.register(pg);
        st.burn("SN-OLD-2", "ipc-x1-main", "5.4.1");
        st.burn("SN-OLD-1", "ipc-x1-main", "5.4.1");
        st.burn("SN-OTHER", "nvr-main", "2.0.0");
        try (FleetShipper s = st.shipper(pg, 100, java.time.Duration.ofMinutes(1))) {
          assertEquals(st.chainLength(), s.shipOnce());
        }
      }
      try (Connection c = pg.admin()) {
        assertEquals(3, keysOf(c, "SN-OLD-1").size(), "V3 keys: barcode, firmware, version");
        assertEquals(FleetSchema.MIGRATIONS.size(), FleetSchema.migrate(c));
        List<String> keys = keysOf(c, "SN-OLD-1");
        assertEquals(
            List.of("SN-OLD-1", "ipc-x1-main", "5.4.1", "m-ipc-x1-main-5.4.1"), keys.subList(0, 4));
        assertEquals("PASSED", keys.get(5));
        List<Map<String, Object>> units = new ArrayList<>();
        FleetQueries.units(c, new UnitFilter("ipc-x1-main", "5.4.1", null, null), units::add);
        assertEquals(2, units.size(), units.toString());
        Map<String, Object> first = units.get(0);
        assertEquals("SN-OLD-1", first.get("barcode"));
        assertEquals("old-1", first.get("station"));
        assertEquals("WO-ipc-x1-main-5.4.1", first.get("work_order"));
        assertEquals("op1", first.get("operator"));
        assertEquals("fx1", first.get("fixture"));
        assertEquals("SN-OLD-2", units.get(1).get("barcode"));
      }
    }
  }

  /** The burn keys of {@code barcode}'s latest entry, as PostgreSQL stored them. */
  private static List<String> keysOf(Connection c, String barcode) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT burn_keys FROM fleet_entries WHERE burn_keys[1] = '"
                    + barcode
                    + "' ORDER BY seq DESC LIMIT 1")) {
      rs.next();
      Array a = rs.getArray(1);
      List<String> out = new ArrayList<>(List.of((String[]) a.getArray()));
      assertNull(rs.next() ? "more than one row" : null);
      return out;
    }
  }
}
