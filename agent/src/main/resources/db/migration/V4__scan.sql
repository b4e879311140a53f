-- V4: malware scan verdicts (issue 4). Append-only history: one row per scan of an image digest
-- under one clamd engine and signature database version. A burn reuses the newest row whose
-- engine and database version match clamd's current ones; db_version 0 means an undated local
-- database, whose verdicts are never reused (a change cannot be detected).
CREATE TABLE scan_verdicts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  image_sha256 TEXT NOT NULL CHECK (length(image_sha256) = 64),
  outcome TEXT NOT NULL CHECK (outcome IN ('CLEAN', 'INFECTED')),
  signature TEXT,
  clamd_version TEXT NOT NULL,
  db_version INTEGER NOT NULL CHECK (db_version >= 0),
  db_date TEXT,
  scanned_at TEXT NOT NULL,
  CHECK ((outcome = 'CLEAN') = (signature IS NULL))
);
CREATE INDEX scan_verdicts_image ON scan_verdicts(image_sha256, clamd_version, db_version);
