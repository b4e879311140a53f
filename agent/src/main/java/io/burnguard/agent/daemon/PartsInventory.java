package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.alerts.Severity;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.ledger.PartsLedger;
import io.burnguard.agent.parts.Actor;
import io.burnguard.agent.parts.DeviceInfo;
import io.burnguard.agent.parts.DeviceProbe;
import io.burnguard.agent.parts.DeviceRefused;
import io.burnguard.agent.parts.Part;
import io.burnguard.agent.parts.PartState;
import io.burnguard.agent.parts.PartsStoreException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code parts inventory}: the parts expected at this station (every part not SCRAPPED) against the
 * devices present now (every block device in {@code /sys/block}, plus the image files or nodes
 * named with {@code --device}). A device is a part when its serial, capacity and kind are the
 * registered ones. Present parts get their sighting chained ({@code part.seen}); an expected part
 * not seen for longer than {@code parts.inventoryInterval} raises a WARNING, a SCRAPPED part that
 * is present again a CRITICAL alert.
 */
final class PartsInventory {
  private static final Logger log = LoggerFactory.getLogger(PartsInventory.class);

  private final PartsLedger store;
  private final DeviceProbe probe;
  private final LedgerService ledger;
  private final Duration interval;
  private final Clock clock;

  PartsInventory(
      PartsLedger store, DeviceProbe probe, LedgerService ledger, Duration interval, Clock clock) {
    this.store = store;
    this.probe = probe;
    this.ledger = ledger;
    this.interval = interval;
    this.clock = clock;
  }

  Result run(Call call, Actor by) throws PartsStoreException {
    List<DeviceInfo> present = present(call.args().path("devices"));
    Instant now = clock.instant();
    ArrayNode rows = Wire.mapper().createArrayNode();
    int overdue = 0;
    int scrappedSeen = 0;
    for (Part p : store.all()) {
      DeviceInfo d = match(p, present);
      if (d != null) {
        store.seen(p.id(), now, d.path().toString());
      }
      Instant last =
          store
              .lastSeen(p.id())
              .map(PartsLedger.Seen::at)
              .orElse(p.received().atStartOfDay().toInstant(ZoneOffset.UTC));
      boolean expected = p.state() != PartState.SCRAPPED;
      boolean late = expected && d == null && Duration.between(last, now).compareTo(interval) > 0;
      if (late) {
        overdue++;
        alert(Severity.WARNING, "parts.inventory-overdue", overdueMessage(p, last));
      }
      if (!expected && d != null) {
        scrappedSeen++;
        alert(Severity.CRITICAL, "parts.scrapped-seen", scrappedMessage(p, d, by));
      }
      rows.add(row(p, expected, d, store.lastSeen(p.id()).orElse(null), late));
    }
    ObjectNode data = Wire.object();
    data.put("at", now.toString());
    data.put("overdue", overdue);
    data.put("scrappedSeen", scrappedSeen);
    data.set("parts", rows);
    String format = call.args().path("format").asText("TABLE");
    String text = "CSV".equals(format) ? csv(rows) : table(rows, overdue, scrappedSeen);
    return new Result(ExitCode.OK, text, data);
  }

  private List<DeviceInfo> present(JsonNode extra) {
    List<Path> paths = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/sys/block"))) {
      for (Path p : ds) {
        Path node = Path.of("/dev", p.getFileName().toString());
        if (Files.exists(node)) {
          paths.add(node);
        }
      }
    } catch (IOException e) {
      log.warn("cannot list /sys/block for the parts inventory: {}", e.getMessage());
    }
    extra.forEach(n -> paths.add(Path.of(n.asText())));
    Map<String, DeviceInfo> out = new LinkedHashMap<>();
    for (Path p : paths) {
      try {
        DeviceInfo d = probe.probe(p);
        out.putIfAbsent(p.toString(), d);
      } catch (DeviceRefused e) {
        log.debug("inventory skips {}: {}", p, e.getMessage());
      }
    }
    return List.copyOf(out.values());
  }

  private static DeviceInfo match(Part p, List<DeviceInfo> present) {
    for (DeviceInfo d : present) {
      if (d.kind() == p.identity().kind()
          && d.sizeBytes() == p.identity().capacityBytes()
          && Objects.equals(d.serial(), p.identity().serial())) {
        return d;
      }
    }
    return null;
  }

  private void alert(Severity s, String kind, String message) {
    log.warn("ALERT {} {}: {}", s, kind, message);
    try {
      ledger.alerts().raise(s, kind, message);
    } catch (DatabaseException e) {
      log.error("cannot store the alert {}: {}", kind, e.getMessage());
    }
  }

  private String overdueMessage(Part p, Instant last) {
    return "part "
        + p.id()
        + " ("
        + p.state()
        + ") was last seen "
        + last
        + ", longer ago than parts.inventoryInterval "
        + interval
        + "; find it and plug it in for the inventory, or scrap it on record";
  }

  private static String scrappedMessage(Part p, DeviceInfo d, Actor by) {
    return "part "
        + p.id()
        + " is SCRAPPED (witnessed by "
        + p.witness().by().user()
        + ") but is present again as "
        + d.path()
        + " (inventory by "
        + by.user()
        + "); secure it and find out how it left destruction";
  }

  private static ObjectNode row(
      Part p, boolean expected, DeviceInfo d, PartsLedger.Seen seen, boolean overdue) {
    ObjectNode n = Wire.object();
    n.put("part", p.id());
    n.put("state", p.state().name());
    n.put("expected", expected);
    n.put("present", d != null);
    n.put("device", d == null ? null : d.path().toString());
    n.put("lastSeen", seen == null ? null : seen.at().toString());
    n.put("lastSeenDevice", seen == null ? null : seen.device());
    n.put("overdue", overdue);
    n.put("unit", p.unitBarcode());
    return n;
  }

  private static String table(ArrayNode rows, int overdue, int scrappedSeen) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-16s %-10s %-8s %-7s %-24s %s%n",
            "PART",
            "STATE",
            "EXPECTED",
            "PRESENT",
            "LAST SEEN",
            "DEVICE"));
    for (JsonNode r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-16s %-10s %-8s %-7s %-24s %s%s%n",
              r.path("part").asText(),
              r.path("state").asText(),
              r.path("expected").asBoolean() ? "yes" : "no",
              r.path("present").asBoolean() ? "yes" : "no",
              r.path("lastSeen").asText("never"),
              r.path("lastSeenDevice").asText("-"),
              r.path("overdue").asBoolean() ? "  OVERDUE" : ""));
    }
    b.append(rows.size()).append(" part(s), ").append(overdue).append(" overdue");
    if (scrappedSeen > 0) {
      b.append(", ").append(scrappedSeen).append(" SCRAPPED part(s) seen again (CRITICAL alert)");
    }
    return b.toString();
  }

  private static String csv(ArrayNode rows) {
    StringBuilder b =
        new StringBuilder("part,state,expected,present,device,last_seen,overdue,unit");
    for (JsonNode r : rows) {
      b.append('\n');
      String[] cells = {
        r.path("part").asText(),
        r.path("state").asText(),
        r.path("expected").asText(),
        r.path("present").asText(),
        r.path("device").asText(""),
        r.path("lastSeen").asText(""),
        r.path("overdue").asText(),
        r.path("unit").asText("")
      };
      for (int i = 0; i < cells.length; i++) {
        b.append(i == 0 ? "" : ",").append(cell(cells[i]));
      }
    }
    return b.toString();
  }

  private static String cell(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
