-- Monthly sums for the reports (issue 17), kept as entries post, so a report of whole months reads
-- a few rows per village and household instead of every entry of the period: a county's month is
-- a million entries, and adding them up in the server took more than a second and a few hundred
-- MB. A report's days outside whole months are still summed from the entries (src/ledger/report.ts).
--
-- Both tables count posted entries only, by the month of the day an entry happened, and a reversal
-- under the kind it reverses (a voided sale lowers "redeemed"), as the report always has. They are
-- derived: `bun run verify` proves them against the balances and honour scores it has proven from
-- the chain, and the property test against a recount from the entries.

-- Points by village, month, kind and category ('' for an entry without one).
CREATE TABLE report_village_months (
  month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
  village_id INTEGER NOT NULL REFERENCES villages(id),
  kind TEXT NOT NULL,
  category TEXT NOT NULL,
  points INTEGER NOT NULL,
  PRIMARY KEY (month, village_id, kind, category)
) STRICT, WITHOUT ROWID;

-- A household's month, for the households that were active in it (a posted award, deduction or
-- redemption, or a reversal of one): what it earned (awards and deductions, net) and whether it
-- had an award or a deduction at all (the bottom list ranks only those). By village first, so a
-- township's report on a county's database reads its own villages' rows only.
CREATE TABLE report_household_months (
  month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
  household_id INTEGER NOT NULL REFERENCES households(id),
  village_id INTEGER NOT NULL REFERENCES villages(id),
  earned INTEGER NOT NULL,
  earns INTEGER NOT NULL CHECK (earns IN (0, 1)),
  PRIMARY KEY (month, village_id, household_id)
) STRICT, WITHOUT ROWID;

-- What is there already, summed once.
INSERT INTO report_village_months (month, village_id, kind, category, points)
SELECT substr(e.occurred_on, 1, 7), e.village_id,
  CASE WHEN e.kind = 'reversal' THEN coalesce(o.kind, 'reversal') ELSE e.kind END AS counted,
  coalesce(e.category, ''), sum(e.points)
FROM entries e LEFT JOIN entries o ON e.kind = 'reversal' AND o.id = e.reverses_id
WHERE e.status = 'posted'
GROUP BY 1, 2, 3, 4;

INSERT INTO report_household_months (month, household_id, village_id, earned, earns)
SELECT substr(e.occurred_on, 1, 7), e.household_id, e.village_id,
  sum(CASE WHEN counted IN ('award', 'deduction') THEN e.points ELSE 0 END),
  max(counted IN ('award', 'deduction'))
FROM (
  SELECT e.occurred_on, e.household_id, e.village_id, e.points,
    CASE WHEN e.kind = 'reversal' THEN coalesce(o.kind, 'reversal') ELSE e.kind END AS counted
  FROM entries e LEFT JOIN entries o ON e.kind = 'reversal' AND o.id = e.reverses_id
  WHERE e.status = 'posted'
) e
WHERE counted IN ('award', 'deduction', 'redemption')
GROUP BY 1, 3, 2;

-- Kept by triggers, as the honour score is (0019): every path that posts an entry (an insert
-- already posted, or an entry leaving its notice) moves them in the entry's own statement and
-- transaction, and a posted entry never changes again (entries_posted_no_update). Both triggers
-- hand the entry's id to one body: SQLite has no procedures, and a view's INSTEAD OF trigger is
-- how two triggers share one.
CREATE VIEW report_months_posting AS SELECT 0 AS entry_id WHERE false;

CREATE TRIGGER report_months_add INSTEAD OF INSERT ON report_months_posting
BEGIN
  INSERT INTO report_village_months (month, village_id, kind, category, points)
  SELECT substr(e.occurred_on, 1, 7), e.village_id,
    CASE WHEN e.kind = 'reversal' THEN coalesce(o.kind, 'reversal') ELSE e.kind END,
    coalesce(e.category, ''), e.points
  FROM entries e LEFT JOIN entries o ON e.kind = 'reversal' AND o.id = e.reverses_id
  WHERE e.id = NEW.entry_id
  ON CONFLICT DO UPDATE SET points = points + excluded.points;
  INSERT INTO report_household_months (month, household_id, village_id, earned, earns)
  SELECT substr(e.occurred_on, 1, 7), e.household_id, e.village_id,
    CASE WHEN coalesce(o.kind, e.kind) IN ('award', 'deduction') THEN e.points ELSE 0 END,
    coalesce(o.kind, e.kind) IN ('award', 'deduction')
  FROM entries e LEFT JOIN entries o ON e.kind = 'reversal' AND o.id = e.reverses_id
  WHERE e.id = NEW.entry_id AND coalesce(o.kind, e.kind) IN ('award', 'deduction', 'redemption')
  ON CONFLICT DO UPDATE SET earned = earned + excluded.earned, earns = max(earns, excluded.earns);
END;

CREATE TRIGGER report_months_on_insert AFTER INSERT ON entries WHEN NEW.status = 'posted'
BEGIN
  INSERT INTO report_months_posting (entry_id) VALUES (NEW.id);
END;

CREATE TRIGGER report_months_on_post AFTER UPDATE OF status ON entries
WHEN NEW.status = 'posted' AND OLD.status <> 'posted'
BEGIN
  INSERT INTO report_months_posting (entry_id) VALUES (NEW.id);
END;
