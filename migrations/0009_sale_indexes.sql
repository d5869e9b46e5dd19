-- Fewer index writes per sale (each is a page in every durable commit of sales).
--
-- A village's redemptions newest first are read through UNIQUE (village_id, receipt_no): within
-- a village receipt numbers grow with ids, both given in the sale's own transaction.
DROP INDEX redemptions_village;

-- The monthly cap only ever asks about entries under a rule; a sale's ledger entry has no rule.
DROP INDEX entries_cap;
CREATE INDEX entries_cap ON entries(household_id, rule_id, occurred_month) WHERE rule_id IS NOT NULL;
