-- Fleet ledger V2 (issue 16 benchmark, docs/fleet.md "Shipping"): a station ships a whole batch
-- with one call of fleet_ship(), which checks the batch as a set (one lookup of the stored tail,
-- one comparison with already stored rows, one window over the links) and inserts it with one
-- INSERT ... SELECT, instead of a plpgsql trigger with three index probes per row. Stations lose
-- the direct INSERT grant on fleet_entries: fleet_ship() is their only way in. The owner can
-- still insert directly (as it could always disable triggers); `fleet audit` verifies what is
-- stored against the registered key whoever wrote it.
--
-- The burn keys the queries filter on are generated from the payload by PostgreSQL itself, so they
-- cannot disagree with the signed payload, and the payload is parsed once per row at insert time
-- instead of once per index expression.

DROP TRIGGER fleet_entries_insert ON fleet_entries;
DROP FUNCTION fleet_entries_insert();
DROP INDEX fleet_entries_barcode;
DROP INDEX fleet_entries_firmware;
DROP INDEX fleet_entries_ref;

-- The station is checked once per batch by fleet_ship() (its role's registered station), and
-- registered stations are never deleted: the per-row foreign key check is dropped.
ALTER TABLE fleet_entries DROP CONSTRAINT fleet_entries_station_id_fkey;

-- {barcode, firmware name, firmware version} of a burn row image, from one parse of the payload.
CREATE FUNCTION fleet_burn_keys(payload text) RETURNS text[]
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  r jsonb := payload::jsonb -> 'row';
BEGIN
  RETURN ARRAY[r ->> 'barcode', r ->> 'firmware_name', r ->> 'firmware_version'];
END $$;
ALTER TABLE fleet_entries ADD COLUMN burn_keys text[] GENERATED ALWAYS AS (
  CASE WHEN ref LIKE 'burns/%' THEN fleet_burn_keys(payload) END) STORED;
CREATE INDEX fleet_entries_barcode ON fleet_entries ((burn_keys[1])) WHERE burn_keys IS NOT NULL;
CREATE INDEX fleet_entries_firmware ON fleet_entries ((burn_keys[2]), (burn_keys[3]))
  WHERE burn_keys IS NOT NULL;
-- fleet alerts reads alert row images by kind of ref.
CREATE INDEX fleet_entries_alerts ON fleet_entries (station_id, ref) WHERE ref LIKE 'alerts/%';

-- Ships one batch (parallel arrays, chain order) for the station the logged-in role speaks for,
-- and returns what is stored for the batch's sequence range afterwards (the shipper compares it
-- with what it sent). An identical retry is skipped; a different row under a stored (station,
-- seq), or a row that does not link to the stored chain, flags the station (rows before it are
-- stored); a flagged station's rows are discarded; a gap is refused.
CREATE FUNCTION fleet_ship(p_station text, p_seq bigint[], p_at text[], p_kind text[],
    p_ref text[], p_payload text[], p_payload_hash text[], p_prev_hash text[],
    p_entry_hash text[], p_signature text[])
  RETURNS TABLE (stored_seq bigint, stored_hash text, stored_signature text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  me text := fleet_current_station();
  tail bigint;
  expected text;
  bad record;
  differs boolean := false;
  cut bigint;
BEGIN
  IF me IS DISTINCT FROM p_station THEN
    RAISE EXCEPTION 'role % may not ship entries of station % (it speaks for %): refused by'
      ' row-level security of the fleet ledger', session_user, p_station,
      coalesce(me, 'no station') USING ERRCODE = '42501';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('fleet_ship:' || p_station));
  IF NOT fleet_flagged(p_station) THEN
    SELECT e.seq, e.entry_hash INTO tail, expected FROM fleet_entries e
      WHERE e.station_id = p_station ORDER BY e.seq DESC LIMIT 1;
    tail := coalesce(tail, 0);
    expected := coalesce(expected, repeat('0', 64));
    IF p_seq[1] <= tail THEN
      SELECT b.seq, e.entry_hash AS stored, b.entry_hash AS sent INTO bad
        FROM unnest(p_seq, p_at, p_kind, p_ref, p_payload, p_payload_hash, p_prev_hash,
                    p_entry_hash, p_signature)
             AS b(seq, at, kind, ref, payload, payload_hash, prev_hash, entry_hash, signature)
        CROSS JOIN LATERAL (SELECT * FROM fleet_entries x
                             WHERE x.station_id = p_station AND x.seq = b.seq) e
        WHERE b.seq <= tail
          AND (e.at, e.kind, e.ref, e.payload, e.payload_hash, e.prev_hash, e.entry_hash,
               e.signature) IS DISTINCT FROM (b.at, b.kind, b.ref, b.payload, b.payload_hash,
               b.prev_hash, b.entry_hash, b.signature)
        ORDER BY b.seq LIMIT 1;
      differs := FOUND;
    END IF;
    IF differs THEN
      PERFORM fleet_flag(p_station, bad.seq, format(
        'entry %s was shipped again with different content (entry hash %s, stored %s): the'
        ' station''s database was replaced or rolled back', bad.seq, bad.sent, bad.stored));
    ELSE
      SELECT l.seq, l.drift <> 0 AS gap, l.prev_hash, l.want INTO bad FROM (
        SELECT b.seq, b.prev_hash,
               lag(b.entry_hash, 1, expected) OVER (ORDER BY b.seq) AS want,
               b.seq - tail - row_number() OVER (ORDER BY b.seq) AS drift
          FROM unnest(p_seq, p_prev_hash, p_entry_hash) AS b(seq, prev_hash, entry_hash)
          WHERE b.seq > tail) l
        WHERE l.drift <> 0 OR l.prev_hash IS DISTINCT FROM l.want
        ORDER BY l.seq LIMIT 1;
      IF FOUND AND bad.gap THEN
        RAISE EXCEPTION 'entry % of station % does not follow the shipped chain: entry % is'
          ' not shipped yet; ship in chain order', bad.seq, p_station, bad.seq - 1
          USING ERRCODE = 'BG001';
      ELSIF FOUND THEN
        cut := bad.seq;
        PERFORM fleet_flag(p_station, bad.seq, format(
          'entry %s does not extend the shipped chain (previous hash %s, shipped entry %s has'
          ' %s): the station''s chain was replaced', bad.seq, bad.prev_hash, bad.seq - 1,
          bad.want));
      END IF;
      INSERT INTO fleet_entries(station_id, seq, at, kind, ref, payload, payload_hash, prev_hash,
                                entry_hash, signature)
        SELECT p_station, b.seq, b.at, b.kind, b.ref, b.payload, b.payload_hash, b.prev_hash,
               b.entry_hash, b.signature
          FROM unnest(p_seq, p_at, p_kind, p_ref, p_payload, p_payload_hash, p_prev_hash,
                      p_entry_hash, p_signature)
               AS b(seq, at, kind, ref, payload, payload_hash, prev_hash, entry_hash, signature)
          WHERE b.seq > tail AND (cut IS NULL OR b.seq < cut)
          ORDER BY b.seq;
    END IF;
  END IF;
  RETURN QUERY SELECT e.seq, e.entry_hash, e.signature FROM fleet_entries e
    WHERE e.station_id = p_station AND e.seq BETWEEN p_seq[1] AND p_seq[array_length(p_seq, 1)]
    ORDER BY e.seq;
END $$;

REVOKE INSERT ON fleet_entries FROM burnguard_station;
REVOKE ALL ON FUNCTION fleet_ship(text, bigint[], text[], text[], text[], text[], text[], text[],
  text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fleet_ship(text, bigint[], text[], text[], text[], text[], text[],
  text[], text[], text[]) TO burnguard_station;
