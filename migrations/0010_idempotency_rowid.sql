-- Idempotency keys as an ordinary (rowid) table with a UNIQUE (caller, idempotency_key) index,
-- instead of WITHOUT ROWID. Each row carries the whole receipt (~700 bytes); in a WITHOUT ROWID
-- table those rows live in the key's b-tree, about five to a page, and every few sales split a
-- leaf and rewrote its neighbours: measured, 15 of the 52 pages a commit of ten sales wrote to
-- the WAL. Rows appended in time order now fill pages at the end, and the key index holds only
-- the short keys. Same columns, same rows.
CREATE TABLE idempotency_keys_new (
  id INTEGER PRIMARY KEY,
  caller TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
  status INTEGER NOT NULL CHECK (status BETWEEN 200 AND 599),
  response TEXT NOT NULL,
  redemption_id INTEGER REFERENCES redemptions(id),
  created_at_ms INTEGER NOT NULL,
  UNIQUE (caller, idempotency_key)
) STRICT;
INSERT INTO idempotency_keys_new (caller, idempotency_key, fingerprint, status, response, redemption_id, created_at_ms)
  SELECT caller, idempotency_key, fingerprint, status, response, redemption_id, created_at_ms FROM idempotency_keys ORDER BY created_at_ms;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_new RENAME TO idempotency_keys;
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at_ms);
