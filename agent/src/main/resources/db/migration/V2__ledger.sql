-- V2: burn ledger, work orders, alerts, key parts (skeleton) and the audit chain (issue 6).
-- Times are UTC ISO-8601 with fixed-width milliseconds ("2026-11-21T08:00:00.000Z") so text
-- order is time order and the indexes below serve range queries.
CREATE TABLE work_orders (
  id TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  firmware_name TEXT NOT NULL,
  firmware_version TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  barcode_regex TEXT NOT NULL,
  check_digit TEXT NOT NULL,
  duplicate_policy TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  closed_at TEXT,
  closed_by TEXT,
  close_note TEXT
);
CREATE INDEX work_orders_status ON work_orders(status, model);
CREATE TABLE burns (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  barcode TEXT NOT NULL,
  model TEXT NOT NULL,
  work_order TEXT REFERENCES work_orders(id),
  fixture TEXT NOT NULL,
  port TEXT NOT NULL,
  driver TEXT NOT NULL,
  firmware_name TEXT NOT NULL,
  firmware_version TEXT NOT NULL,
  firmware_sha256 TEXT NOT NULL,
  signers TEXT NOT NULL,
  scan_verdict TEXT NOT NULL,
  clamd_db_version TEXT NOT NULL,
  operator TEXT NOT NULL,
  station_id TEXT NOT NULL,
  rework_reason TEXT,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  outcome TEXT NOT NULL
    CHECK (outcome IN ('STARTED', 'PASSED', 'FAILED', 'CANCELLED', 'INTERRUPTED')),
  failure_reason TEXT,
  readback_digest TEXT,
  readback_match INTEGER CHECK (readback_match IN (0, 1))
);
-- trace BARCODE (newest first) and units --firmware (recall) are index range scans.
CREATE INDEX burns_barcode ON burns(barcode, started_at);
CREATE INDEX burns_firmware ON burns(firmware_name, firmware_version, started_at);
-- Quantity and duplicate checks count one order's PASSED/STARTED rows.
CREATE INDEX burns_order ON burns(work_order, outcome, barcode);
-- Restart recovery finds STARTED rows without scanning the table.
CREATE INDEX burns_started ON burns(outcome) WHERE outcome = 'STARTED';
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  acknowledged_at TEXT,
  acknowledged_by TEXT,
  ack_note TEXT
);
CREATE INDEX alerts_open ON alerts(acknowledged_at, created_at);
-- Key storage parts: filled by the key-parts issue; the table exists so its audit refs resolve.
CREATE TABLE key_parts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  serial TEXT,
  state TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  detail TEXT
);
-- The audit chain: seq is assigned by the appender (last + 1), never by AUTOINCREMENT, so a
-- gap always means a deleted entry. Hashes and signatures are lowercase hex.
CREATE TABLE audit_chain (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  payload TEXT NOT NULL,
  payload_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  entry_hash TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE INDEX audit_chain_ref ON audit_chain(ref, seq);
-- Defence in depth against bugs and casual edits; a determined editor drops these, and then
-- audit verify is what catches the change.
CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain BEGIN SELECT RAISE(ABORT, 'audit_chain is append-only'); END;
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain BEGIN SELECT RAISE(ABORT, 'audit_chain is append-only'); END;
