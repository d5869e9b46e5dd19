-- Field practice (issue 18): inspection rounds (人居环境评比), the supermarket's month-end
-- statements signed by two people (对账), and points statements for the bank (积分贷).

-- A round: a village's inspection on one day, by a scoring team, of some households under some
-- rules. A draft is scored cell by cell; submitting it records one ledger entry per scored cell,
-- all under one batch id, and the round never changes again.
CREATE TABLE rounds (
  id INTEGER PRIMARY KEY,
  village_id INTEGER NOT NULL REFERENCES villages(id),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
  -- The round's size, fixed when it is made (its rules and households never change).
  rules_count INTEGER NOT NULL CHECK (rules_count BETWEEN 1 AND 20),
  households_count INTEGER NOT NULL CHECK (households_count >= 1),
  -- Who made and submitted it, as `user:<id>` (src/auth/principal.ts actorIdOf).
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  submitted_by TEXT,
  submitted_at_ms INTEGER,
  batch_id TEXT UNIQUE,
  entries_count INTEGER NOT NULL DEFAULT 0 CHECK (entries_count >= 0),
  points_total INTEGER NOT NULL DEFAULT 0,
  CHECK ((status = 'submitted') = (submitted_at_ms IS NOT NULL)),
  CHECK ((status = 'submitted') = (batch_id IS NOT NULL)),
  CHECK ((status = 'submitted') = (submitted_by IS NOT NULL))
) STRICT;
-- A village's rounds, newest first.
CREATE INDEX rounds_village ON rounds(village_id, id);

CREATE TABLE round_rules (
  round_id INTEGER NOT NULL REFERENCES rounds(id),
  rule_id INTEGER NOT NULL REFERENCES rules(id),
  -- The order the rules were named in: the grid's columns.
  position INTEGER NOT NULL CHECK (position >= 0),
  PRIMARY KEY (round_id, rule_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE round_households (
  round_id INTEGER NOT NULL REFERENCES rounds(id),
  household_id INTEGER NOT NULL REFERENCES households(id),
  PRIMARY KEY (round_id, household_id)
) STRICT, WITHOUT ROWID;

-- One cell of the grid: a household under a rule. quantity 0 is a cleared cell (kept, so who
-- cleared it and when stays known); only cells above 0 become entries. The composite foreign keys
-- keep every cell inside its round's households and rules.
CREATE TABLE round_scores (
  round_id INTEGER NOT NULL,
  household_id INTEGER NOT NULL,
  rule_id INTEGER NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity BETWEEN 0 AND 10),
  evidence_id INTEGER REFERENCES evidence(id),
  note TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 500),
  updated_at_ms INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (round_id, household_id, rule_id),
  FOREIGN KEY (round_id, household_id) REFERENCES round_households(round_id, household_id),
  FOREIGN KEY (round_id, rule_id) REFERENCES round_rules(round_id, rule_id)
) STRICT, WITHOUT ROWID;

-- The supermarket's month-end statement: the clerk and a village administrator each sign it; when
-- both have, the statement as it stood is frozen (its canonical JSON and that text's SHA-256) and
-- answered from here ever after. One person signs a month once, in one role.
CREATE TABLE market_statement_signatures (
  village_id INTEGER NOT NULL REFERENCES villages(id),
  month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
  role TEXT NOT NULL CHECK (role IN ('clerk', 'village_admin')),
  user_id INTEGER NOT NULL REFERENCES users(id),
  -- The signer's name as it was when they signed: a later rename does not change a signature.
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  signed_at_ms INTEGER NOT NULL,
  PRIMARY KEY (village_id, month, role),
  UNIQUE (village_id, month, user_id)
) STRICT;

CREATE TABLE market_statements (
  village_id INTEGER NOT NULL REFERENCES villages(id),
  month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
  snapshot TEXT NOT NULL,
  digest TEXT NOT NULL CHECK (length(digest) = 64),
  frozen_at_ms INTEGER NOT NULL,
  PRIMARY KEY (village_id, month)
) STRICT;
CREATE TRIGGER market_statements_no_update BEFORE UPDATE ON market_statements
BEGIN
  SELECT RAISE(ABORT, 'a frozen statement never changes; a correction goes into the next month');
END;
CREATE TRIGGER market_statements_no_delete BEFORE DELETE ON market_statements
BEGIN
  SELECT RAISE(ABORT, 'a frozen statement is never deleted');
END;
CREATE TRIGGER market_statement_signatures_no_update BEFORE UPDATE ON market_statement_signatures
BEGIN
  SELECT RAISE(ABORT, 'a signature never changes');
END;

-- Points statements for the bank: numbered per township and year without gaps (JF-2026-000123),
-- reached by a random code. What was printed is kept as canonical JSON with its SHA-256, so the
-- verification page compares the ledger now against exactly that.
CREATE TABLE statement_counters (
  year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2999),
  last_seq INTEGER NOT NULL CHECK (last_seq >= 1)
) STRICT;

CREATE TABLE household_statements (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE CHECK (number GLOB 'JF-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]*'),
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  code TEXT NOT NULL UNIQUE CHECK (length(code) >= 22),
  household_id INTEGER NOT NULL REFERENCES households(id),
  village_id INTEGER NOT NULL REFERENCES villages(id),
  issued_at_ms INTEGER NOT NULL,
  -- `user:<id>` for staff, `card:<id>` for a resident from the card page.
  issued_by TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  digest TEXT NOT NULL CHECK (length(digest) = 64),
  withdrawn_at_ms INTEGER,
  withdrawn_by TEXT,
  withdrawn_reason TEXT CHECK (withdrawn_reason IS NULL OR length(withdrawn_reason) BETWEEN 1 AND 500),
  UNIQUE (year, seq),
  CHECK ((withdrawn_at_ms IS NULL) = (withdrawn_reason IS NULL)),
  CHECK ((withdrawn_at_ms IS NULL) = (withdrawn_by IS NULL))
) STRICT;
CREATE INDEX household_statements_household ON household_statements(household_id, id);
-- What was issued is never edited; only a withdrawal is added.
CREATE TRIGGER household_statements_fixed BEFORE UPDATE OF number, year, seq, code, household_id, village_id, issued_at_ms, issued_by, snapshot, digest ON household_statements
BEGIN
  SELECT RAISE(ABORT, 'an issued statement never changes; withdraw it and issue a new one');
END;
CREATE TRIGGER household_statements_no_delete BEFORE DELETE ON household_statements
BEGIN
  SELECT RAISE(ABORT, 'an issued statement is never deleted; withdraw it');
END;
