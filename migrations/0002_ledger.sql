-- The points ledger: rules (村规民约), entries and the hash chain over posted entries.

CREATE TABLE rule_templates (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 20),
  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  category TEXT NOT NULL CHECK (length(category) BETWEEN 1 AND 30),
  points INTEGER NOT NULL CHECK (points <> 0),
  monthly_cap INTEGER CHECK (monthly_cap IS NULL OR monthly_cap > 0),
  created_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE rules (
  id INTEGER PRIMARY KEY,
  village_id INTEGER NOT NULL REFERENCES villages(id),
  code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 20),
  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  category TEXT NOT NULL CHECK (length(category) BETWEEN 1 AND 30),
  points INTEGER NOT NULL CHECK (points <> 0),
  -- The most a household may receive under this rule in one calendar month, counted in
  -- absolute points (so it caps deductions too).
  monthly_cap INTEGER CHECK (monthly_cap IS NULL OR monthly_cap > 0),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at_ms INTEGER NOT NULL,
  UNIQUE (village_id, code)
) STRICT;

-- An entry copies what it needs of its rule (code, title, category, points), so changing or
-- retiring a rule never changes a past entry.
CREATE TABLE entries (
  id INTEGER PRIMARY KEY,
  village_id INTEGER NOT NULL REFERENCES villages(id),
  household_id INTEGER NOT NULL REFERENCES households(id),
  member_id INTEGER REFERENCES members(id),
  rule_id INTEGER REFERENCES rules(id),
  kind TEXT NOT NULL CHECK (kind IN ('award', 'deduction', 'redemption', 'reversal', 'expiry')),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'in_notice', 'disputed', 'posted', 'rejected', 'revoked')),
  points INTEGER NOT NULL,
  quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 1000),
  rule_code TEXT,
  rule_title TEXT,
  category TEXT,
  note TEXT CHECK (note IS NULL OR length(note) <= 500),
  occurred_on TEXT NOT NULL CHECK (occurred_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  occurred_month TEXT NOT NULL GENERATED ALWAYS AS (substr(occurred_on, 1, 7)) VIRTUAL,
  reverses_id INTEGER UNIQUE REFERENCES entries(id),
  redemption_id INTEGER,
  batch_id TEXT,
  created_at_ms INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  approved_by TEXT,
  approved_at_ms INTEGER,
  notice_ends_at_ms INTEGER,
  decided_reason TEXT,
  posted_at_ms INTEGER,
  seq INTEGER UNIQUE,
  balance_after INTEGER,
  prev_hash TEXT,
  hash TEXT,
  CHECK ((status = 'posted') = (seq IS NOT NULL)),
  CHECK (status <> 'posted' OR (hash IS NOT NULL AND prev_hash IS NOT NULL AND balance_after IS NOT NULL AND posted_at_ms IS NOT NULL)),
  CHECK (kind <> 'reversal' OR reverses_id IS NOT NULL),
  CHECK (kind <> 'award' OR points > 0),
  CHECK (kind <> 'deduction' OR points < 0),
  CHECK (kind <> 'redemption' OR points < 0),
  CHECK (kind <> 'expiry' OR points < 0)
) STRICT;
CREATE INDEX entries_household ON entries(household_id, id);
CREATE INDEX entries_village_status ON entries(village_id, status);
CREATE INDEX entries_notice_due ON entries(status, notice_ends_at_ms) WHERE status = 'in_notice';
CREATE INDEX entries_cap ON entries(household_id, rule_id, occurred_month);
CREATE INDEX entries_posted_at ON entries(village_id, posted_at_ms) WHERE status = 'posted';

-- A posted entry never changes and is never deleted: a mistake is undone by a reversal.
CREATE TRIGGER entries_posted_no_update BEFORE UPDATE ON entries WHEN OLD.status = 'posted'
BEGIN
  SELECT RAISE(ABORT, 'a posted entry never changes; reverse it instead');
END;
CREATE TRIGGER entries_posted_no_delete BEFORE DELETE ON entries WHEN OLD.status = 'posted'
BEGIN
  SELECT RAISE(ABORT, 'a posted entry is never deleted; reverse it instead');
END;

CREATE TABLE objections (
  id INTEGER PRIMARY KEY,
  entry_id INTEGER NOT NULL REFERENCES entries(id),
  card_id INTEGER REFERENCES cards(id),
  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  created_at_ms INTEGER NOT NULL,
  address TEXT
) STRICT;
CREATE INDEX objections_entry ON objections(entry_id);

-- The head of the chain, one row: the sequence number and hash of the last posted entry.
CREATE TABLE ledger_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;
INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
