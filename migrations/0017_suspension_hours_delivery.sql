-- Field practice (issue 18): suspension of redemptions (一票否决), the supermarket's opening days and
-- hours, and home delivery (送奖上门).

-- A rule may suspend a household's redemptions for 1 to 24 months after a posted deduction under
-- it. Only a deduction rule suspends (points < 0).
ALTER TABLE rules ADD COLUMN suspend_months INTEGER CHECK (suspend_months IS NULL OR suspend_months BETWEEN 1 AND 24);

-- An entry copies its rule's suspension when it is recorded, as it copies the rule's title and
-- points: a later change of the rule never shortens or lengthens a suspension already earned, so
-- a suspension is read from the entries alone. Outside the hash chain, like is_claim and
-- evidence_id: it says what a deduction does at the supermarket, and a posted entry never changes
-- (its trigger) anyway.
ALTER TABLE entries ADD COLUMN suspend_months INTEGER CHECK (suspend_months IS NULL OR (suspend_months BETWEEN 1 AND 24 AND kind = 'deduction'));
-- A household's posted suspending deductions: a handful at most, so the sale's check reads a few
-- index entries. Partial, so awards and sales (nearly every entry) never touch it.
CREATE INDEX entries_suspending ON entries(household_id, occurred_on) WHERE suspend_months IS NOT NULL AND status = 'posted';

-- When the village's supermarket is open, as JSON (src/market/opening-hours.ts); NULL is always.
ALTER TABLE villages ADD COLUMN opening_hours TEXT CHECK (opening_hours IS NULL OR json_valid(opening_hours));

-- A sale delivered to a household that cannot come: recorded by staff with the sale, confirmed
-- once with who delivered it and when.
CREATE TABLE deliveries (
  redemption_id INTEGER PRIMARY KEY REFERENCES redemptions(id),
  village_id INTEGER NOT NULL REFERENCES villages(id),
  created_at_ms INTEGER NOT NULL,
  -- The person who carried the goods (a name as staff type it: a committee member, a volunteer).
  delivered_by TEXT CHECK (delivered_by IS NULL OR length(delivered_by) BETWEEN 1 AND 60),
  delivered_at_ms INTEGER,
  -- Who confirmed it in the app, as `user:<id>`, and when.
  confirmed_by TEXT,
  confirmed_at_ms INTEGER,
  CHECK ((delivered_by IS NULL) = (delivered_at_ms IS NULL)),
  CHECK ((delivered_by IS NULL) = (confirmed_by IS NULL)),
  CHECK ((delivered_by IS NULL) = (confirmed_at_ms IS NULL))
) STRICT;
-- The sales page's two lists: waiting (oldest first) and confirmed (newest first).
CREATE INDEX deliveries_village ON deliveries(village_id, confirmed_at_ms, redemption_id);
CREATE TRIGGER deliveries_confirmed_once BEFORE UPDATE ON deliveries WHEN OLD.confirmed_at_ms IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a confirmed delivery never changes');
END;
CREATE TRIGGER deliveries_no_delete BEFORE DELETE ON deliveries
BEGIN
  SELECT RAISE(ABORT, 'a delivery is never deleted');
END;
