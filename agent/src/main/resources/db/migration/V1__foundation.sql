-- V1: foundation. Admin events (denials, daemon start/stop, config loads) and the write probe.
CREATE TABLE admin_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  os_user TEXT,
  uid INTEGER,
  groups TEXT,
  request TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX admin_events_at ON admin_events(at);
CREATE TABLE write_probe (
  at INTEGER NOT NULL
);
