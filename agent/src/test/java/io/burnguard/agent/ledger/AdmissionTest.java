package io.burnguard.agent.ledger;

import static io.burnguard.agent.ledger.LedgerFixture.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.burnguard.agent.orders.WorkOrderRefusal;
import io.burnguard.agent.orders.WorkOrderRefusal.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's early admission question ({@link Ledger#precheck}) as one request record. */
class AdmissionTest {
  @TempDir Path dir;
  LedgerFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new LedgerFixture(dir);
    f.orders.open(order("WO-1", 10), "eve");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static AdmissionRequest request(String barcode, String orderId, String fw) {
    return new AdmissionRequest(
        barcode, "IPC-X1", orderId, fw, "5.4.1", null, "fx1", "alice", "line3-st07");
  }

  private List<JsonNode> refusals() throws Exception {
    return f.db.read(
        c -> {
          List<JsonNode> out = new ArrayList<>();
          try (var rs =
              c.createStatement()
                  .executeQuery(
                      "SELECT payload FROM audit_chain WHERE kind='burn.refused' ORDER BY seq")) {
            while (rs.next()) {
              try {
                out.add(new ObjectMapper().readTree(rs.getString(1)));
              } catch (java.io.IOException e) {
                throw new java.sql.SQLException(e);
              }
            }
          }
          return out;
        });
  }

  @Test
  void anAdmissibleUnitLeavesNoTrace() throws Exception {
    long before = f.verifyAudit().entries();

    f.ledger.precheck(request("SN000001", "WO-1", "ipc-x1-main"));

    assertEquals(before, f.verifyAudit().entries());
    assertTrue(f.ledger.trace("SN000001").isEmpty());
  }

  @Test
  void aRefusalIsChainedWithWhoAskedWhereAndWhy() throws Exception {
    WorkOrderRefusal e =
        assertThrows(
            WorkOrderRefusal.class,
            () -> f.ledger.precheck(request("SN000002", "WO-1", "other-fw")));
    assertEquals(Reason.FIRMWARE_MISMATCH, e.reason());

    List<JsonNode> chained = refusals();
    assertEquals(1, chained.size());
    JsonNode p = chained.get(0);
    assertEquals("SN000002", p.path("barcode").asText());
    assertEquals("IPC-X1", p.path("model").asText());
    assertEquals("fx1", p.path("fixture").asText());
    assertEquals("alice", p.path("operator").asText());
    assertEquals("line3-st07", p.path("station").asText());
    assertEquals("FIRMWARE_MISMATCH", p.path("reason").asText());
    assertEquals(e.getMessage(), p.path("message").asText());
  }

  @Test
  void missingValuesAreRefusedWhereTheRequestIsMade() {
    assertThrows(
        NullPointerException.class,
        () -> new AdmissionRequest("SN1", "IPC-X1", null, "fw", "1.0", null, null, "alice", "st"));
  }
}
