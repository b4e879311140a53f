-- Key storage parts (issue 15). V2 created key_parts as an empty placeholder that nothing ever
-- wrote, so it is replaced by the full projection of a part. Every table here is a projection of
-- the audit chain (refs key_parts/ID, key_part_events/N, key_part_certificates/N).
DROP TABLE key_parts;
CREATE TABLE key_parts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  serial TEXT,
  model TEXT,
  capacity_bytes INTEGER NOT NULL,
  removable INTEGER NOT NULL,
  supplier TEXT NOT NULL,
  lot TEXT NOT NULL,
  received TEXT NOT NULL,
  state TEXT NOT NULL,
  unit_barcode TEXT,
  scrap_method TEXT,
  scrap_by TEXT,
  scrap_roles TEXT,
  scrap_at TEXT,
  scrap_note TEXT,
  witness_by TEXT,
  witness_roles TEXT,
  witness_at TEXT,
  witness_note TEXT,
  registered_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_seen_at TEXT,
  last_seen_device TEXT
);
CREATE INDEX key_parts_unit ON key_parts(unit_barcode);
CREATE TABLE key_part_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  part_id TEXT NOT NULL REFERENCES key_parts(id),
  kind TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX key_part_events_part ON key_part_events(part_id, id);
CREATE TABLE key_part_certificates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  certificate_id TEXT NOT NULL,
  part_id TEXT NOT NULL REFERENCES key_parts(id),
  issued_at TEXT NOT NULL,
  certificate TEXT NOT NULL
);
CREATE INDEX key_part_certificates_part ON key_part_certificates(part_id, id);
