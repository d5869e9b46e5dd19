-- A household belongs to its village for good and is never deleted: its entries, cards and
-- redemptions point at it, and the server remembers which village each household is in (the
-- tenancy check of every award reads it). These triggers make that a rule of the database.
CREATE TRIGGER households_stay_in_village BEFORE UPDATE OF village_id ON households WHEN NEW.village_id IS NOT OLD.village_id
BEGIN
  SELECT RAISE(ABORT, 'a household never moves to another village');
END;
CREATE TRIGGER households_never_deleted BEFORE DELETE ON households
BEGIN
  SELECT RAISE(ABORT, 'a household is never deleted');
END;
