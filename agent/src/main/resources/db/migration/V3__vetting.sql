-- V3: firmware vetting (issue 3). Rollback memory and the encrypted image cache.
-- Independent of other issues' tables.
CREATE TABLE vetting_highest_version (
  name TEXT PRIMARY KEY,
  version TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE TABLE vetting_withdrawal_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sequence INTEGER NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
