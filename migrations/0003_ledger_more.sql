-- More for the ledger: claims, year-end expiry runs, and indexes for reports and the review queue.

-- A villager's claim (申报) enters as proposed whatever the village's settings. Not part of the hash
-- chain: it says how the entry came in, not what it means once posted.
ALTER TABLE entries ADD COLUMN is_claim INTEGER NOT NULL DEFAULT 0 CHECK (is_claim IN (0, 1));

-- One expiry run per village and year, so running it twice expires nothing twice.
CREATE TABLE expiry_runs (
  village_id INTEGER NOT NULL REFERENCES villages(id),
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  ran_at_ms INTEGER NOT NULL,
  entries INTEGER NOT NULL CHECK (entries >= 0),
  expired_points INTEGER NOT NULL CHECK (expired_points >= 0),
  PRIMARY KEY (village_id, year)
) STRICT;

-- Reports read posted entries by the day they happened; this index covers every column they sum,
-- so a month of a million-entry township is read from the index alone.
CREATE INDEX entries_report ON entries(occurred_on, village_id, kind, category, household_id, points, rule_id) WHERE status = 'posted';
-- The committee's review queue: a village's entries in one status, newest first.
CREATE INDEX entries_village_status_id ON entries(village_id, status, id);
-- Year-end expiry sums posted entries by the time they were posted.
CREATE INDEX entries_household_posted ON entries(household_id, posted_at_ms, kind, points, rule_id) WHERE status = 'posted';
