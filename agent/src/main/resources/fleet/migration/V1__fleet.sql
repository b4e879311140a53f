-- Fleet ledger, central side (issue 16, docs/fleet.md). Applied by `burnguard fleet init-db` as
-- the schema owner. Stations log in as their own roles (members of burnguard_station) and may
-- only INSERT their own rows; readers (members of burnguard_reader) may only SELECT.

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'burnguard_station') THEN
    CREATE ROLE burnguard_station NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'burnguard_reader') THEN
    CREATE ROLE burnguard_reader NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'burnguard_security') THEN
    CREATE ROLE burnguard_security NOLOGIN IN ROLE burnguard_reader;
  END IF;
END $$;

-- Registered stations: the login role that speaks for each, and its Ed25519 audit key (hex).
CREATE TABLE fleet_stations (
  station_id text PRIMARY KEY,
  role_name name NOT NULL UNIQUE,
  public_key text NOT NULL CHECK (public_key ~ '^[0-9a-f]{64}$'),
  registered_at timestamptz NOT NULL DEFAULT now()
);

-- Audit chain entries exactly as signed on the station (docs/decisions.md, issue 11).
CREATE TABLE fleet_entries (
  station_id text NOT NULL REFERENCES fleet_stations,
  seq bigint NOT NULL CHECK (seq >= 1),
  at text NOT NULL,
  kind text NOT NULL,
  ref text NOT NULL,
  payload text NOT NULL,
  payload_hash text NOT NULL,
  prev_hash text NOT NULL,
  entry_hash text NOT NULL,
  signature text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (station_id, seq)
);
CREATE INDEX fleet_entries_ref ON fleet_entries (ref);
-- fleet trace BARCODE and fleet units --firmware (recall) read burn row images by index.
CREATE INDEX fleet_entries_barcode ON fleet_entries ((payload::jsonb #>> '{row,barcode}'))
  WHERE ref LIKE 'burns/%';
CREATE INDEX fleet_entries_firmware ON fleet_entries ((payload::jsonb #>> '{row,firmware_name}'),
  (payload::jsonb #>> '{row,firmware_version}')) WHERE ref LIKE 'burns/%';

-- Signed chain heads, append-only. accepted is false for a head that did not extend the last
-- accepted one (it is kept as evidence).
CREATE TABLE fleet_heads (
  id bigserial PRIMARY KEY,
  station_id text NOT NULL REFERENCES fleet_stations,
  seq bigint NOT NULL CHECK (seq >= 0),
  hash text NOT NULL,
  at text NOT NULL,
  public_key text NOT NULL,
  signature text NOT NULL,
  accepted boolean NOT NULL DEFAULT true,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fleet_heads_station ON fleet_heads (station_id, id);

-- Security flags: while a station has an unacknowledged flag, its inserts are discarded.
CREATE TABLE fleet_flags (
  id bigserial PRIMARY KEY,
  station_id text NOT NULL REFERENCES fleet_stations,
  seq bigint,
  reason text NOT NULL,
  raised_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_by name,
  acknowledged_at timestamptz
);
CREATE INDEX fleet_flags_open ON fleet_flags (station_id) WHERE acknowledged_at IS NULL;

-- The station the logged-in role speaks for (NULL for any other role).
CREATE FUNCTION fleet_current_station() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT station_id FROM fleet_stations WHERE role_name = session_user $$;

CREATE FUNCTION fleet_flag(station text, at_seq bigint, why text) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public AS
  $$ INSERT INTO fleet_flags(station_id, seq, reason) VALUES (station, at_seq, why) $$;

CREATE FUNCTION fleet_flagged(station text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT EXISTS (SELECT 1 FROM fleet_flags WHERE station_id = station
                    AND acknowledged_at IS NULL) $$;

-- Creates a station's login role (no password: it logs in by client certificate). Owner only.
CREATE FUNCTION fleet_create_station_role(role_name text) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
    EXECUTE format('CREATE ROLE %I LOGIN IN ROLE burnguard_station', role_name);
  END IF;
END $$;

-- Entries: an identical retry is skipped; a different row under a shipped (station, seq), or a
-- row that does not link to the shipped chain, flags the station; a flagged station's rows are
-- discarded; a gap is refused (the shipper ships in chain order).
CREATE FUNCTION fleet_entries_insert() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  old fleet_entries;
  expected text;
BEGIN
  SELECT * INTO old FROM fleet_entries WHERE station_id = NEW.station_id AND seq = NEW.seq;
  IF FOUND THEN
    IF (old.at, old.kind, old.ref, old.payload, old.payload_hash, old.prev_hash, old.entry_hash,
        old.signature) IS DISTINCT FROM (NEW.at, NEW.kind, NEW.ref, NEW.payload,
        NEW.payload_hash, NEW.prev_hash, NEW.entry_hash, NEW.signature) THEN
      PERFORM fleet_flag(NEW.station_id, NEW.seq, format(
        'entry %s was shipped again with different content (entry hash %s, stored %s): the'
        ' station''s database was replaced or rolled back', NEW.seq, NEW.entry_hash,
        old.entry_hash));
    END IF;
    RETURN NULL;
  END IF;
  IF fleet_flagged(NEW.station_id) THEN
    RETURN NULL;
  END IF;
  IF NEW.seq = 1 THEN
    expected := repeat('0', 64);
  ELSE
    SELECT entry_hash INTO expected FROM fleet_entries
      WHERE station_id = NEW.station_id AND seq = NEW.seq - 1;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'entry % of station % does not follow the shipped chain: entry % is not'
        ' shipped yet; ship in chain order', NEW.seq, NEW.station_id, NEW.seq - 1
        USING ERRCODE = 'BG001';
    END IF;
  END IF;
  IF NEW.prev_hash IS DISTINCT FROM expected THEN
    PERFORM fleet_flag(NEW.station_id, NEW.seq, format(
      'entry %s does not extend the shipped chain (previous hash %s, shipped entry %s has %s):'
      ' the station''s chain was replaced', NEW.seq, NEW.prev_hash, NEW.seq - 1, expected));
    RETURN NULL;
  END IF;
  NEW.received_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER fleet_entries_insert BEFORE INSERT ON fleet_entries
  FOR EACH ROW EXECUTE FUNCTION fleet_entries_insert();

-- Heads: a head that does not extend the last accepted head (lower sequence, same sequence with
-- another hash, a hash different from the shipped entry, another key) flags the station.
CREATE FUNCTION fleet_heads_insert() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  last fleet_heads;
  registered text;
  shipped text;
  why text;
BEGIN
  SELECT public_key INTO registered FROM fleet_stations WHERE station_id = NEW.station_id;
  SELECT * INTO last FROM fleet_heads WHERE station_id = NEW.station_id AND accepted
    ORDER BY id DESC LIMIT 1;
  SELECT entry_hash INTO shipped FROM fleet_entries
    WHERE station_id = NEW.station_id AND seq = NEW.seq;
  IF NEW.public_key IS DISTINCT FROM registered THEN
    why := format('head %s is signed by key %s, not the registered key %s: the station was'
      ' re-keyed', NEW.seq, NEW.public_key, registered);
  ELSIF last.id IS NOT NULL AND NEW.seq < last.seq THEN
    why := format('head %s is behind the anchored head %s: the station''s chain was truncated'
      ' or its database rolled back', NEW.seq, last.seq);
  ELSIF last.id IS NOT NULL AND NEW.seq = last.seq AND NEW.hash <> last.hash THEN
    why := format('head %s has hash %s but the anchored head %s has %s: the station''s chain'
      ' was replaced', NEW.seq, NEW.hash, last.seq, last.hash);
  ELSIF shipped IS NOT NULL AND shipped <> NEW.hash THEN
    why := format('head %s has hash %s but shipped entry %s has %s: the station''s chain was'
      ' replaced', NEW.seq, NEW.hash, NEW.seq, shipped);
  END IF;
  IF why IS NOT NULL THEN
    PERFORM fleet_flag(NEW.station_id, NEW.seq, why);
    NEW.accepted := false;
  ELSE
    NEW.accepted := true;
  END IF;
  NEW.received_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER fleet_heads_insert BEFORE INSERT ON fleet_heads
  FOR EACH ROW EXECUTE FUNCTION fleet_heads_insert();

-- Entries and heads are never changed or removed, not even by the owner.
CREATE FUNCTION fleet_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % refused: the fleet ledger is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'BG002';
END $$;
CREATE TRIGGER fleet_entries_append_only BEFORE UPDATE OR DELETE ON fleet_entries
  FOR EACH ROW EXECUTE FUNCTION fleet_append_only();
CREATE TRIGGER fleet_heads_append_only BEFORE UPDATE OR DELETE ON fleet_heads
  FOR EACH ROW EXECUTE FUNCTION fleet_append_only();
CREATE TRIGGER fleet_stations_no_delete BEFORE DELETE ON fleet_stations
  FOR EACH ROW EXECUTE FUNCTION fleet_append_only();

-- Flags are only ever acknowledged (once), never removed.
CREATE FUNCTION fleet_flags_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.acknowledged_at IS NOT NULL
     OR (NEW.station_id, NEW.seq, NEW.reason, NEW.raised_at)
        IS DISTINCT FROM (OLD.station_id, OLD.seq, OLD.reason, OLD.raised_at) THEN
    RAISE EXCEPTION 'flag % may only be acknowledged, once', OLD.id USING ERRCODE = 'BG002';
  END IF;
  NEW.acknowledged_by := session_user;
  NEW.acknowledged_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER fleet_flags_update BEFORE UPDATE OR DELETE ON fleet_flags
  FOR EACH ROW EXECUTE FUNCTION fleet_flags_update();

-- Row-level security: a station sees and inserts only its own rows.
ALTER TABLE fleet_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE fleet_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE fleet_flags ENABLE ROW LEVEL SECURITY;
ALTER TABLE fleet_stations ENABLE ROW LEVEL SECURITY;
CREATE POLICY station_insert ON fleet_entries FOR INSERT TO burnguard_station
  WITH CHECK (station_id = fleet_current_station());
CREATE POLICY station_select ON fleet_entries FOR SELECT TO burnguard_station
  USING (station_id = fleet_current_station());
CREATE POLICY station_insert ON fleet_heads FOR INSERT TO burnguard_station
  WITH CHECK (station_id = fleet_current_station());
CREATE POLICY station_select ON fleet_heads FOR SELECT TO burnguard_station
  USING (station_id = fleet_current_station());
CREATE POLICY station_select ON fleet_flags FOR SELECT TO burnguard_station
  USING (station_id = fleet_current_station());
CREATE POLICY station_select ON fleet_stations FOR SELECT TO burnguard_station
  USING (role_name = current_user);
CREATE POLICY reader_select ON fleet_entries FOR SELECT TO burnguard_reader USING (true);
CREATE POLICY reader_select ON fleet_heads FOR SELECT TO burnguard_reader USING (true);
CREATE POLICY reader_select ON fleet_flags FOR SELECT TO burnguard_reader USING (true);
CREATE POLICY reader_select ON fleet_stations FOR SELECT TO burnguard_reader USING (true);
CREATE POLICY security_ack ON fleet_flags FOR UPDATE TO burnguard_security
  USING (true) WITH CHECK (true);

REVOKE ALL ON fleet_stations, fleet_entries, fleet_heads, fleet_flags FROM PUBLIC;
GRANT SELECT ON fleet_stations, fleet_entries, fleet_heads, fleet_flags TO burnguard_station;
GRANT INSERT ON fleet_entries, fleet_heads TO burnguard_station;
GRANT USAGE ON SEQUENCE fleet_heads_id_seq TO burnguard_station;
GRANT SELECT ON fleet_stations, fleet_entries, fleet_heads, fleet_flags TO burnguard_reader;
GRANT UPDATE (acknowledged_by, acknowledged_at) ON fleet_flags TO burnguard_security;
REVOKE ALL ON FUNCTION fleet_flag(text, bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION fleet_create_station_role(text) FROM PUBLIC;
