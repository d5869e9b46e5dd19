-- Each village's last receipt number, kept as a counter that a sale moves by one inside its own
-- transaction (a refused or rolled-back sale moves nothing, so numbers stay 1, 2, 3 without gaps).
-- Reading MAX(receipt_no) per sale cost more than the sale's own inserts in bun:sqlite.
-- UNIQUE (village_id, receipt_no) on redemptions still refuses any number given twice.
ALTER TABLE villages ADD COLUMN last_receipt_no INTEGER NOT NULL DEFAULT 0 CHECK (last_receipt_no >= 0);
UPDATE villages SET last_receipt_no = (SELECT coalesce(max(receipt_no), 0) FROM redemptions WHERE redemptions.village_id = villages.id);
