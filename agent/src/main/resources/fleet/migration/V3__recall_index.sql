-- Fleet ledger V3 (issue 16 benchmark, second pass; docs/decisions.md "Fleet ledger: trace and
-- recall, second pass"): a covering index for the recall (`fleet units`). It holds, per burn row
-- image, the firmware name and version, the station, the ref and the sequence (latest first)
-- with the burn keys included, so PostgreSQL finds the latest entry of every burn of a firmware by
-- an index-only scan already in (version, station, ref, newest) order: no heap visit and no sort
-- for the DISTINCT ON, only the narrow sort by barcode. It replaces the firmware index of V2,
-- whose keys are its first two. Nothing else changes: entries stay append-only, fleet_ship()
-- stays the stations' only way in, and row-level security applies as before.

CREATE INDEX fleet_entries_recall ON fleet_entries ((burn_keys[2]), (burn_keys[3]), station_id,
  ref, seq DESC) INCLUDE (burn_keys) WHERE burn_keys IS NOT NULL;
DROP INDEX fleet_entries_firmware;
