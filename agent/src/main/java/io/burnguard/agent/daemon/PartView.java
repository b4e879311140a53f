package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.ledger.PartsLedger;
import io.burnguard.agent.parts.Certificate;
import io.burnguard.agent.parts.Part;
import io.burnguard.agent.parts.PartEvent;
import io.burnguard.agent.parts.PartsStoreException;
import io.burnguard.agent.parts.UsbIdentity;
import java.util.List;
import java.util.Optional;

/**
 * A part as the CLI shows it: the JSON of a part (every parts reply, inventory rows, trace) and
 * {@code parts show PART}: its identity with the USB device it sits on, where it is, the newest
 * certificate, the last sighting and its whole history of events.
 */
final class PartView {
  private PartView() {}

  /** The part's fields as JSON. */
  static ObjectNode json(Part p) {
    ObjectNode n = Wire.object();
    n.put("id", p.id());
    n.put("state", p.state().name());
    n.put("kind", p.identity().kind().name());
    n.put("serial", p.identity().serial());
    n.put("model", p.identity().model());
    n.put("capacityBytes", p.identity().capacityBytes());
    usb(n, p.identity().usb());
    n.put("supplier", p.supplier());
    n.put("lot", p.lot());
    n.put("received", p.received().toString());
    n.put("unit", p.unitBarcode());
    if (p.scrap() != null) {
      n.put("scrapMethod", p.scrap().method().name());
      n.put("scrappedBy", p.scrap().by().user());
    }
    if (p.witness() != null) {
      n.put("witnessedBy", p.witness().by().user());
    }
    return n;
  }

  /** The part's USB parent as {@code usb} (null when it is not on USB). */
  static void usb(ObjectNode n, UsbIdentity u) {
    if (u == null) {
      n.putNull("usb");
      return;
    }
    ObjectNode o = n.putObject("usb");
    o.put("vendorId", u.vendorId());
    o.put("productId", u.productId());
    o.put("manufacturer", u.manufacturer());
    o.put("product", u.product());
    o.put("serial", u.serial());
    o.put("port", u.port());
  }

  /** {@code parts show PART}. */
  static Result show(PartsLedger store, String id) throws PartsStoreException, OperationException {
    Optional<Part> found = store.find(id);
    if (found.isEmpty()) {
      throw new OperationException(
          ExitCode.REFUSED,
          "no part " + id + " is registered; check the id or list them (parts inventory)",
          null);
    }
    Part p = found.get();
    ObjectNode data = json(p);
    Optional<Certificate> cert = store.certificate(id);
    data.put("certificateId", cert.map(Certificate::certificateId).orElse(null));
    Optional<PartsLedger.Seen> seen = store.lastSeen(id);
    data.put("lastSeen", seen.map(s -> s.at().toString()).orElse(null));
    data.put("lastSeenDevice", seen.map(PartsLedger.Seen::device).orElse(null));
    List<PartEvent> events = store.events(id);
    ArrayNode history = data.putArray("events");
    for (PartEvent e : events) {
      ObjectNode o = history.addObject();
      o.put("at", e.at().toString());
      o.put("kind", e.kind().name());
      o.put("from", e.from() == null ? null : e.from().name());
      o.put("to", e.to().name());
      o.put("actor", e.actor());
      o.put("detail", e.detail());
    }
    return new Result(ExitCode.OK, text(p, cert, seen, events), data);
  }

  private static String text(
      Part p, Optional<Certificate> cert, Optional<PartsLedger.Seen> seen, List<PartEvent> events) {
    StringBuilder b = new StringBuilder();
    b.append("part ").append(p.id()).append(": ").append(p.state());
    if (p.unitBarcode() != null) {
      b.append(", unit ").append(p.unitBarcode());
    }
    b.append('\n');
    line(b, "Media", p.identity().mediaType() + ", " + p.identity().capacityBytes() + " bytes");
    line(b, "Model", or(p.identity().model()));
    line(b, "Serial number", or(p.identity().serial()));
    UsbIdentity u = p.identity().usb();
    line(b, "USB device", u == null ? "(not on USB)" : u.describe());
    String lot = p.lot().isEmpty() ? "no lot" : "lot " + p.lot();
    line(b, "Source", "supplier " + p.supplier() + ", " + lot + ", received " + p.received());
    line(b, "Certificate", cert.map(Certificate::certificateId).orElse("(none)"));
    line(b, "Last seen", seen.map(s -> s.at() + " on " + s.device()).orElse("never"));
    if (p.scrap() != null) {
      line(
          b,
          "Scrapped",
          p.scrap().method() + " by " + p.scrap().by().user() + " " + p.scrap().at());
    }
    if (p.witness() != null) {
      line(b, "Witnessed", "by " + p.witness().by().user() + " " + p.witness().at());
    }
    b.append("History:");
    for (PartEvent e : events) {
      b.append("\n  ")
          .append(e.at())
          .append(' ')
          .append(e.kind())
          .append(" -> ")
          .append(e.to())
          .append(" by ")
          .append(e.actor());
      if (!e.detail().isEmpty()) {
        b.append(": ").append(e.detail());
      }
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String name, String value) {
    b.append(String.format(java.util.Locale.ROOT, "  %-14s %s%n", name + ":", value));
  }

  private static String or(String s) {
    return s == null ? "(none reported)" : s;
  }
}
