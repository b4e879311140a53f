package io.burnguard.agent.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.audit.AuditChainBroken;
import io.burnguard.agent.parts.DeviceKind;
import io.burnguard.agent.parts.Part;
import io.burnguard.agent.parts.PartEvent;
import io.burnguard.agent.parts.PartEvent.Kind;
import io.burnguard.agent.parts.PartIdentity;
import io.burnguard.agent.parts.PartState;
import io.burnguard.agent.parts.UsbIdentity;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part's USB parent (issue 15, "Register") is stored with its registration, read back with the
 * part, chained ({@code key_part_usb} is a projection) and survives later changes of the part.
 */
class PartsLedgerTest {
  private static final UsbIdentity STICK =
      new UsbIdentity("0781", "5567", "SanDisk", "Cruzer Blade", "4C530001230", "1-2");

  @TempDir Path tmp;

  private static Part part(String id, UsbIdentity usb) {
    return Part.received(
        id,
        new PartIdentity(DeviceKind.BLOCK_DEVICE, "4C530001230", "Cruzer", 1L << 30, true, usb),
        "Acme",
        "L7",
        LocalDate.parse("2026-11-20"));
  }

  private static PartEvent registered(LedgerFixture f, Part p) {
    return new PartEvent(p.id(), Kind.REGISTERED, null, p.state(), "eve", f.clock.instant(), "");
  }

  @Test
  void theUsbParentIsStoredReadBackAndChained() throws Exception {
    try (LedgerFixture f = new LedgerFixture(tmp)) {
      PartsLedger store = new PartsLedger(f.db, f.chain);
      Part p = part("P1", STICK);
      store.append(registered(f, p), p);
      Part plain = part("P2", null);
      store.append(registered(f, plain), plain);
      assertEquals(p, store.find("P1").orElseThrow());
      assertNull(store.find("P2").orElseThrow().identity().usb());
      Part used =
          new Part(
              "P1",
              p.identity(),
              "Acme",
              "L7",
              p.received(),
              PartState.SANITIZED,
              null,
              null,
              null);
      store.append(
          new PartEvent(
              "P1", Kind.SANITIZED, p.state(), used.state(), "eve", f.clock.instant(), ""),
          used);
      assertEquals(STICK, store.find("P1").orElseThrow().identity().usb(), "kept after a change");
      assertEquals(2, store.all().size());
      assertTrue(f.verifyAudit().rowsCompared() > 0);
    }
  }

  @Test
  void anEditedUsbRowIsFoundByAuditVerify() throws Exception {
    try (LedgerFixture f = new LedgerFixture(tmp)) {
      PartsLedger store = new PartsLedger(f.db, f.chain);
      Part p = part("P1", STICK);
      store.append(registered(f, p), p);
      f.verifyAudit();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f.dbFile);
          Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE key_part_usb SET serial = 'OTHER' WHERE part_id = 'P1'");
      }
      AuditChainBroken e = assertThrows(AuditChainBroken.class, f::verifyAudit);
      assertTrue(e.getMessage().contains("key_part_usb"), e.getMessage());
    }
  }
}
