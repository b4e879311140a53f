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
CREATE TABLE vetting_release (
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  length INTEGER NOT NULL,
  manifest BLOB NOT NULL,
  signature BLOB NOT NULL,
  signers TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (name, version)
);
CREATE TABLE vetting_withdrawals_doc (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sequence INTEGER NOT NULL,
  document BLOB NOT NULL,
  signature BLOB NOT NULL,
  fetched_at TEXT NOT NULL
);
