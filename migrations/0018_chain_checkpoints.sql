-- Daily checkpoints of the ledger's hash chain (issue 17, src/ops/checkpoint.ts). Each one names
-- the chain's head at a verified moment (`seq` = how many entries were chained, `head` = the hash
-- of entry `seq`) and a digest of every household's balance at that moment, dated by the Shanghai day.
-- Checkpoints form their own small chain (`prev_hash` → `hash`), so one cannot be slipped in,
-- edited or removed between two others without `bun run verify --since-checkpoint` seeing it.
CREATE TABLE chain_checkpoints (
  id INTEGER PRIMARY KEY,
  day TEXT NOT NULL UNIQUE CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  seq INTEGER NOT NULL CHECK (seq >= 0),
  head TEXT NOT NULL CHECK (length(head) = 64),
  households INTEGER NOT NULL CHECK (households >= 0),
  last_household_id INTEGER NOT NULL CHECK (last_household_id >= 0),
  balances_digest TEXT NOT NULL CHECK (length(balances_digest) = 64),
  created_at_ms INTEGER NOT NULL,
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
) STRICT;
CREATE TRIGGER chain_checkpoints_no_update BEFORE UPDATE ON chain_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'a checkpoint never changes');
END;
CREATE TRIGGER chain_checkpoints_no_delete BEFORE DELETE ON chain_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'a checkpoint is never deleted');
END;
