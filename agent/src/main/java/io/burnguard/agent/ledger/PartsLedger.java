package io.burnguard.agent.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.burnguard.agent.audit.AuditChain;
import io.burnguard.agent.audit.Timestamps;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.parts.Actor;
import io.burnguard.agent.parts.Certificate;
import io.burnguard.agent.parts.DeviceKind;
import io.burnguard.agent.parts.Part;
import io.burnguard.agent.parts.PartEvent;
import io.burnguard.agent.parts.PartIdentity;
import io.burnguard.agent.parts.PartState;
import io.burnguard.agent.parts.PartsStore;
import io.burnguard.agent.parts.PartsStoreException;
import io.burnguard.agent.parts.ScrapMethod;
import io.burnguard.agent.parts.ScrapRecord;
import io.burnguard.agent.parts.WitnessRecord;
import io.burnguard.config.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link PartsStore} on the station database (issue 15). Tables {@code key_parts}, {@code
 * key_part_events} and {@code key_part_certificates} (migration V6) are projections of the audit
 * chain: each event is one chain entry of kind {@code part.<event>} (e.g. {@code part.sanitized})
 * with the event row as payload, and the part's new row (and the certificate) are chained in the
 * same transaction, so {@code audit verify} finds any edit made behind the daemon's back.
 */
public final class PartsLedger implements PartsStore {
  private static final String COLUMNS =
      "id, kind, serial, model, capacity_bytes, removable, supplier, lot, received, state,"
          + " unit_barcode, scrap_method, scrap_by, scrap_roles, scrap_at, scrap_note, witness_by,"
          + " witness_roles, witness_at, witness_note, registered_at, updated_at, last_seen_at,"
          + " last_seen_device";
  private static final String UPSERT =
      "INSERT INTO key_parts("
          + COLUMNS
          + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,NULL)"
          + " ON CONFLICT(id) DO UPDATE SET state = excluded.state,"
          + " unit_barcode = excluded.unit_barcode, scrap_method = excluded.scrap_method,"
          + " scrap_by = excluded.scrap_by, scrap_roles = excluded.scrap_roles,"
          + " scrap_at = excluded.scrap_at, scrap_note = excluded.scrap_note,"
          + " witness_by = excluded.witness_by, witness_roles = excluded.witness_roles,"
          + " witness_at = excluded.witness_at, witness_note = excluded.witness_note,"
          + " updated_at = excluded.updated_at";

  /** A part with its USB parent, when it has one (migration V7, table key_part_usb). */
  private static final String SELECT_PART = PartUsbRows.selectPart(COLUMNS);

  private final Database db;
  private final AuditChain chain;

  public PartsLedger(Database db, AuditChain chain) {
    this.db = db;
    this.chain = chain;
  }

  @Override
  public Optional<Part> find(String id) throws PartsStoreException {
    return read(c -> one(c, id));
  }

  @Override
  public List<Part> all() throws PartsStoreException {
    return read(
        c -> {
          List<Part> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(SELECT_PART + " ORDER BY k.id");
              ResultSet r = s.executeQuery()) {
            while (r.next()) {
              out.add(part(r));
            }
          }
          return out;
        });
  }

  @Override
  public void append(PartEvent event, Part after) throws PartsStoreException {
    append(event, after, null);
  }

  @Override
  public void append(PartEvent event, Part after, Certificate certificate)
      throws PartsStoreException {
    if (!event.partId().equals(after.id())) {
      throw new IllegalArgumentException(
          "event of part " + event.partId() + " with the value of part " + after.id());
    }
    chained(
        event,
        (c, at) -> {
          upsert(c, after, at);
          chain.appendRow(c, "part.changed", "key_parts", after.id());
          if (event.kind() == PartEvent.Kind.REGISTERED && after.identity().usb() != null) {
            PartUsbRows.insert(c, after.id(), after.identity().usb());
            chain.appendRow(c, "part.usb", "key_part_usb", after.id());
          }
          if (certificate != null) {
            long cid = insertCertificate(c, certificate, at);
            chain.appendRow(c, "part.certificate", "key_part_certificates", cid);
          }
        });
  }

  /**
   * Records an event that leaves the part's row as it is (an inventory's alert), chained as {@code
   * part.<event>}. The part row is not rewritten, so a concurrent change to the part is never
   * overwritten by the value the inventory read earlier.
   */
  public void note(PartEvent event) throws PartsStoreException {
    chained(event, (c, at) -> {});
  }

  /** Rows an event writes before its own, in its transaction, with the event's time. */
  @FunctionalInterface
  private interface EventRows {
    void write(Connection c, String at) throws SQLException;
  }

  /**
   * One transaction: {@code rows}, then the event's row, each chained; a failure names the event
   * and the part.
   */
  private void chained(PartEvent event, EventRows rows) throws PartsStoreException {
    String at = Timestamps.format(event.at());
    try {
      chain.write(
          c -> {
            rows.write(c, at);
            long eid = insertEvent(c, event, at);
            chain.appendRow(c, kind(event.kind()), "key_part_events", eid);
            return null;
          });
    } catch (DatabaseException e) {
      throw new PartsStoreException(
          "cannot record " + event.kind() + " of part " + event.partId() + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public Optional<Certificate> certificate(String partId) throws PartsStoreException {
    String json =
        read(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT certificate FROM key_part_certificates WHERE part_id = ?"
                          + " ORDER BY id DESC LIMIT 1")) {
                s.setString(1, partId);
                try (ResultSet r = s.executeQuery()) {
                  return r.next() ? r.getString(1) : null;
                }
              }
            });
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Certificate.fromJson(json));
    } catch (JsonProcessingException e) {
      throw new PartsStoreException(
          "the stored certificate of part " + partId + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public List<PartEvent> events(String partId) throws PartsStoreException {
    return read(
        c -> {
          List<PartEvent> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT kind, from_state, to_state, actor, at, detail FROM key_part_events"
                      + " WHERE part_id = ? ORDER BY id")) {
            s.setString(1, partId);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                String from = r.getString(2);
                out.add(
                    new PartEvent(
                        partId,
                        PartEvent.Kind.valueOf(r.getString(1)),
                        from == null ? null : PartState.valueOf(from),
                        PartState.valueOf(r.getString(3)),
                        r.getString(4),
                        Timestamps.parse(r.getString(5)),
                        r.getString(6)));
              }
            }
          }
          return out;
        });
  }

  /** The parts installed in unit {@code barcode}, for trace. */
  public List<Part> installedIn(String barcode) throws PartsStoreException {
    return read(
        c -> {
          List<Part> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(SELECT_PART + " WHERE k.unit_barcode = ? ORDER BY k.id")) {
            s.setString(1, barcode);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(part(r));
              }
            }
          }
          return out;
        });
  }

  /** When the part was last seen by an inventory, and on which device; null when never. */
  public record Seen(Instant at, String device) {}

  /** The part's last sighting, if any. */
  public Optional<Seen> lastSeen(String id) throws PartsStoreException {
    return read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT last_seen_at, last_seen_device FROM key_parts WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
              if (!r.next() || r.getString(1) == null) {
                return Optional.<Seen>empty();
              }
              return Optional.of(new Seen(Timestamps.parse(r.getString(1)), r.getString(2)));
            }
          }
        });
  }

  /** Records that an inventory saw the part on {@code device}; chained as {@code part.seen}. */
  public void seen(String id, Instant at, String device) throws PartsStoreException {
    try {
      chain.write(
          c -> {
            try (PreparedStatement s =
                c.prepareStatement(
                    "UPDATE key_parts SET last_seen_at = ?, last_seen_device = ? WHERE id = ?")) {
              s.setString(1, Timestamps.format(at));
              s.setString(2, device);
              s.setString(3, id);
              if (s.executeUpdate() == 1) {
                chain.appendRow(c, "part.seen", "key_parts", id);
              }
            }
            return null;
          });
    } catch (DatabaseException e) {
      throw new PartsStoreException(
          "cannot record that part " + id + " was seen: " + e.getMessage(), e);
    }
  }

  private static String kind(PartEvent.Kind k) {
    return "part." + k.name().toLowerCase(Locale.ROOT);
  }

  private static void upsert(Connection c, Part p, String at) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(UPSERT)) {
      PartIdentity id = p.identity();
      s.setString(1, p.id());
      s.setString(2, id.kind().name());
      s.setString(3, id.serial());
      s.setString(4, id.model());
      s.setLong(5, id.capacityBytes());
      s.setInt(6, id.removable() ? 1 : 0);
      s.setString(7, p.supplier());
      s.setString(8, p.lot());
      s.setString(9, p.received().toString());
      s.setString(10, p.state().name());
      s.setString(11, p.unitBarcode());
      ScrapRecord sc = p.scrap();
      s.setString(12, sc == null ? null : sc.method().name());
      s.setString(13, sc == null ? null : sc.by().user());
      s.setString(14, sc == null ? null : roles(sc.by()));
      s.setString(15, sc == null ? null : Timestamps.format(sc.at()));
      s.setString(16, sc == null ? null : sc.note());
      WitnessRecord w = p.witness();
      s.setString(17, w == null ? null : w.by().user());
      s.setString(18, w == null ? null : roles(w.by()));
      s.setString(19, w == null ? null : Timestamps.format(w.at()));
      s.setString(20, w == null ? null : w.note());
      s.setString(21, at);
      s.setString(22, at);
      s.executeUpdate();
    }
  }

  private static long insertEvent(Connection c, PartEvent e, String at) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO key_part_events(part_id, kind, from_state, to_state, actor, at, detail)"
                + " VALUES (?,?,?,?,?,?,?)",
            Statement.RETURN_GENERATED_KEYS)) {
      s.setString(1, e.partId());
      s.setString(2, e.kind().name());
      if (e.from() == null) {
        s.setNull(3, Types.VARCHAR);
      } else {
        s.setString(3, e.from().name());
      }
      s.setString(4, e.to().name());
      s.setString(5, e.actor());
      s.setString(6, at);
      s.setString(7, e.detail());
      s.executeUpdate();
      return generated(s);
    }
  }

  private static long insertCertificate(Connection c, Certificate cert, String at)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO key_part_certificates(certificate_id, part_id, issued_at, certificate)"
                + " VALUES (?,?,?,?)",
            Statement.RETURN_GENERATED_KEYS)) {
      s.setString(1, cert.certificateId());
      s.setString(2, cert.partId());
      s.setString(3, at);
      s.setString(4, cert.toJson());
      s.executeUpdate();
      return generated(s);
    }
  }

  private static long generated(PreparedStatement s) throws SQLException {
    try (ResultSet k = s.getGeneratedKeys()) {
      k.next();
      return k.getLong(1);
    }
  }

  private static Optional<Part> one(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SELECT_PART + " WHERE k.id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(part(r)) : Optional.empty();
      }
    }
  }

  private static Part part(ResultSet r) throws SQLException {
    PartIdentity identity =
        new PartIdentity(
            DeviceKind.valueOf(r.getString("kind")),
            r.getString("serial"),
            r.getString("model"),
            r.getLong("capacity_bytes"),
            r.getInt("removable") != 0,
            PartUsbRows.read(r));
    ScrapRecord sc =
        r.getString("scrap_method") == null
            ? null
            : new ScrapRecord(
                ScrapMethod.valueOf(r.getString("scrap_method")),
                actor(r.getString("scrap_by"), r.getString("scrap_roles")),
                Timestamps.parse(r.getString("scrap_at")),
                r.getString("scrap_note"));
    WitnessRecord w =
        r.getString("witness_by") == null
            ? null
            : new WitnessRecord(
                actor(r.getString("witness_by"), r.getString("witness_roles")),
                Timestamps.parse(r.getString("witness_at")),
                r.getString("witness_note"));
    return new Part(
        r.getString("id"),
        identity,
        r.getString("supplier"),
        r.getString("lot"),
        LocalDate.parse(r.getString("received")),
        PartState.valueOf(r.getString("state")),
        r.getString("unit_barcode"),
        sc,
        w);
  }

  private static String roles(Actor a) {
    return a.roles().stream().map(Role::name).sorted().collect(Collectors.joining(","));
  }

  private static Actor actor(String user, String roles) {
    Set<Role> set = EnumSet.noneOf(Role.class);
    if (roles != null && !roles.isEmpty()) {
      for (String r : roles.split(",")) {
        set.add(Role.valueOf(r));
      }
    }
    return new Actor(user, set);
  }

  private <T> T read(Database.Work<T> work) throws PartsStoreException {
    try {
      return db.read(work);
    } catch (DatabaseException e) {
      throw new PartsStoreException("cannot read the key parts: " + e.getMessage(), e);
    }
  }
}
