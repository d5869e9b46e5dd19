-- The Idempotency-Key store keeps a caller's key, the request's fingerprint and the stored answer,
-- nothing of any one use case: the sale's redemption id it also kept was read by no code (the
-- answer holds the receipt, id included). SQLite cannot drop a column that references another
-- table, so the table is rebuilt as 0010 built it, without that column. Keys live a day, so the
-- copy is small.
CREATE TABLE idempotency_keys_new (
  id INTEGER PRIMARY KEY,
  caller TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
  status INTEGER NOT NULL CHECK (status BETWEEN 200 AND 599),
  response TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  UNIQUE (caller, idempotency_key)
) STRICT;
INSERT INTO idempotency_keys_new (id, caller, idempotency_key, fingerprint, status, response, created_at_ms)
  SELECT id, caller, idempotency_key, fingerprint, status, response, created_at_ms FROM idempotency_keys ORDER BY id;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_new RENAME TO idempotency_keys;
