-- The honour score (issue 18) kept on the household beside its balance, so the kiosk's card read,
-- the household list and the honour board read it, not a sum over every entry of the household.
-- It moves in the same transaction as the entry that moves it (src/ledger/entry-store.ts), only
-- for posted awards and deductions and posted reversals of those; never for a redemption, a void
-- or an expiry. `bun run verify` proves it from the entries as it proves the balance.
ALTER TABLE households ADD COLUMN honour INTEGER NOT NULL DEFAULT 0;

UPDATE households SET honour = coalesce((
  SELECT sum(e.points) FROM entries e
  WHERE e.household_id = households.id AND e.status = 'posted'
    AND (e.kind IN ('award', 'deduction')
      OR (e.kind = 'reversal' AND (SELECT o.kind FROM entries o WHERE o.id = e.reverses_id) IN ('award', 'deduction')))
), 0);

-- Kept by triggers, so every path that posts an entry (an insert already posted, or an entry
-- leaving its notice) moves it, in the entry's own statement and transaction. A posted entry
-- never changes again (entries_posted_no_update), so these are the only moments it can move.
CREATE TRIGGER households_honour_on_insert AFTER INSERT ON entries
WHEN NEW.status = 'posted' AND (NEW.kind IN ('award', 'deduction')
  OR (NEW.kind = 'reversal' AND (SELECT o.kind FROM entries o WHERE o.id = NEW.reverses_id) IN ('award', 'deduction')))
BEGIN
  UPDATE households SET honour = honour + NEW.points WHERE id = NEW.household_id;
END;

CREATE TRIGGER households_honour_on_post AFTER UPDATE OF status ON entries
WHEN NEW.status = 'posted' AND OLD.status <> 'posted' AND (NEW.kind IN ('award', 'deduction')
  OR (NEW.kind = 'reversal' AND (SELECT o.kind FROM entries o WHERE o.id = NEW.reverses_id) IN ('award', 'deduction')))
BEGIN
  UPDATE households SET honour = honour + NEW.points WHERE id = NEW.household_id;
END;
