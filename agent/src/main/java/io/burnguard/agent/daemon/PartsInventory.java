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
import io.burnguard.agent.parts.PartEvent;
import io.burnguard.agent.parts.PartEvent.Kind;
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
 *
 * <p>The same pass runs on a schedule ({@link #scheduled}, every {@code parts.inventoryCheck}), so
 * an overdue part is reported although nobody asks. Each alert is raised once: it is recorded as
 * the part's event ({@code INVENTORY_OVERDUE}, {@code SCRAPPED_SEEN}, chained), and an overdue part
 * is alerted again only after a sighting has started a new period; a scrapped part that stays
 * present is alerted again at most once per {@code inventoryInterval}. Because the record is in the
 * ledger, a daemon restart does not repeat the alerts either. Passes run one at a time.
 */
final class PartsInventory {
  private static final Logger log = LoggerFactory.getLogger(PartsInventory.class);

  /** The actor of a pass that nobody asked for. */
  static final String SCHEDULE_ACTOR = "burnguard (scheduled inventory)";

  static final String OVERDUE_ALERT = "parts.inventory-overdue";
  static final String SCRAPPED_ALERT = "parts.scrapped-seen";

  private final PartsLedger store;
  private final DeviceProbe probe;
  private final LedgerService ledger;
  private final Path sysRoot;
  private final Clock clock;

  /**
   * @param sysRoot sysfs, whose {@code block} directory lists the block devices present ({@code
   *     /sys})
   */
  PartsInventory(
      PartsLedger store, DeviceProbe probe, LedgerService ledger, Path sysRoot, Clock clock) {
    this.store = store;
    this.probe = probe;
    this.ledger = ledger;
    this.sysRoot = sysRoot;
    this.clock = clock;
  }

  /** What one pass found. */
  record Pass(Instant at, ArrayNode rows, int overdue, int scrappedSeen, int alerted) {}

  /** {@code parts inventory}, with the generation's {@code parts.inventoryInterval}. */
  Result run(Call call, Actor by, Duration interval) throws PartsStoreException {
    List<Path> named = new ArrayList<>();
    call.args().path("devices").forEach(n -> named.add(Path.of(n.asText())));
    Pass pass = pass(named, by.user(), interval);
    ObjectNode data = Wire.object();
    data.put("at", pass.at().toString());
    data.put("overdue", pass.overdue());
    data.put("scrappedSeen", pass.scrappedSeen());
    data.set("parts", pass.rows());
    String format = call.args().path("format").asText("TABLE");
    String text =
        "CSV".equals(format)
            ? csv(pass.rows())
            : table(pass.rows(), pass.overdue(), pass.scrappedSeen());
    return new Result(ExitCode.OK, text, data);
  }

  /** The pass the daemon runs every {@code parts.inventoryCheck}: block devices present only. */
  Pass scheduled(Duration interval) throws PartsStoreException {
    Pass p = pass(List.of(), SCHEDULE_ACTOR, interval);
    // One line per pass while something is wrong (hourly by default), so the log shows that the
    // check keeps running although its alert was raised once; quiet otherwise.
    boolean wrong = p.overdue() > 0 || p.scrappedSeen() > 0;
    String format = "scheduled parts inventory: {} part(s), {} overdue, {} alert(s) raised";
    if (wrong) {
      log.info(format, p.rows().size(), p.overdue(), p.alerted());
    } else {
      log.debug(format, p.rows().size(), p.overdue(), p.alerted());
    }
    return p;
  }

  /**
   * One inventory: the block devices present plus {@code named} (image files, nodes), by {@code
   * by}.
   */
  synchronized Pass pass(List<Path> named, String by, Duration interval)
      throws PartsStoreException {
    List<DeviceInfo> present = present(named);
    Instant now = clock.instant();
    ArrayNode rows = Wire.mapper().createArrayNode();
    int overdue = 0;
    int scrappedSeen = 0;
    int alerted = 0;
    for (Part p : store.all()) {
      PartsLedger.Seen before = store.lastSeen(p.id()).orElse(null);
      DeviceInfo d = match(p, present);
      PartsLedger.Seen seen = before;
      if (d != null) {
        seen = new PartsLedger.Seen(now, d.path().toString());
        store.seen(p.id(), now, seen.device());
      }
      Instant last =
          seen != null ? seen.at() : p.received().atStartOfDay().toInstant(ZoneOffset.UTC);
      boolean expected = p.state() != PartState.SCRAPPED;
      boolean late = expected && d == null && Duration.between(last, now).compareTo(interval) > 0;
      if (late) {
        overdue++;
        if (due(p, Kind.INVENTORY_OVERDUE, last)) {
          alertAndRecord(
              p, Kind.INVENTORY_OVERDUE, Severity.WARNING, overdueMessage(p, last, interval), by);
          alerted++;
        }
      }
      if (!expected && d != null) {
        scrappedSeen++;
        if (due(p, Kind.SCRAPPED_SEEN, now.minus(interval))) {
          alertAndRecord(p, Kind.SCRAPPED_SEEN, Severity.CRITICAL, scrappedMessage(p, d, by), by);
          alerted++;
        }
      }
      rows.add(row(p, expected, d, seen, late));
    }
    return new Pass(now, rows, overdue, scrappedSeen, alerted);
  }

  /** Whether no {@code kind} event of the part is on record at or after {@code since}. */
  private boolean due(Part p, Kind kind, Instant since) throws PartsStoreException {
    for (PartEvent e : store.events(p.id())) {
      if (e.kind() == kind && !e.at().isBefore(since)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Raises the alert, then records it as the part's event. In that order: a record that cannot be
   * written repeats the alert at the next pass rather than losing it.
   */
  private void alertAndRecord(Part p, Kind kind, Severity severity, String message, String by)
      throws PartsStoreException {
    alert(severity, kind == Kind.INVENTORY_OVERDUE ? OVERDUE_ALERT : SCRAPPED_ALERT, message);
    store.note(new PartEvent(p.id(), kind, p.state(), p.state(), by, clock.instant(), message));
  }

  private List<DeviceInfo> present(List<Path> named) {
    List<Path> paths = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(sysRoot.resolve("block"))) {
      for (Path p : ds) {
        Path node = Path.of("/dev", p.getFileName().toString());
        if (Files.exists(node)) {
          paths.add(node);
        }
      }
    } catch (IOException e) {
      log.warn("cannot list {}/block for the parts inventory: {}", sysRoot, e.getMessage());
    }
    paths.addAll(named);
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

  private static String overdueMessage(Part p, Instant last, Duration interval) {
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

  private static String scrappedMessage(Part p, DeviceInfo d, String by) {
    return "part "
        + p.id()
        + " is SCRAPPED (witnessed by "
        + p.witness().by().user()
        + ") but is present again as "
        + d.path()
        + " (inventory by "
        + by
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
    PartView.usb(n, p.identity().usb());
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
