-- V5: port monitor events (issue 14). Append-only: one row per decision of the USB port monitor
-- (a device present at start or after a policy reload, inserted, removed, or refused for
-- untrustworthy sysfs data) and per foreign use of a fixture's serial port (SERIAL_USE: port is
-- the fixture id, sys_path the device node, detail the processes). A projection of the audit
-- chain like the other ledger tables.
CREATE TABLE port_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('PRESENT', 'INSERTED', 'REMOVED', 'REFUSED', 'SERIAL_USE')),
  mode TEXT NOT NULL CHECK (mode IN ('ENFORCE', 'MONITOR')),
  port TEXT NOT NULL,
  sys_path TEXT NOT NULL,
  device_id TEXT,
  device_name TEXT,
  device_serial TEXT,
  device_hash TEXT,
  interfaces TEXT,
  action TEXT NOT NULL,
  rule_line INTEGER NOT NULL CHECK (rule_line >= 0),
  rule TEXT NOT NULL,
  applied INTEGER NOT NULL CHECK (applied IN (0, 1)),
  detail TEXT NOT NULL
);
CREATE INDEX port_events_at ON port_events(at);
