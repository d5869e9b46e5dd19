-- Fewer index writes per award. Every index of the entries table is written on each posted entry,
-- and posted entries are nearly all of them.
--
-- entries_posted_at served no query: reports read entries_report, expiry reads entries_household.
DROP INDEX entries_posted_at;

-- The review queue and the public notice lists only ever ask for entries that are not posted, so
-- their index leaves posted entries out. Queries that use it say `status <> 'posted'` in their
-- WHERE clause, which is how SQLite knows a partial index applies.
DROP INDEX entries_village_status;
CREATE INDEX entries_queue ON entries(village_id, status) WHERE status <> 'posted';
