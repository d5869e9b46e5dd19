-- The supermarket's back office and the township's view (issue 16): where stock came from and
-- stock counts, kiosks last seen, staff last signed in, retired rule templates, a searchable audit
-- log, and the sales list's filters.

-- Stock movements name their source (an intake: donated, bought with a government fund, the
-- village's own income, other; a donation names its donor) and may be a stock count (盘点),
-- whose difference goes either way. SQLite cannot change a CHECK, so the table is rebuilt with
-- the same rows; intakes recorded before sources existed are 'other'. Nothing references it.
CREATE TABLE stock_movements_new (
  id INTEGER PRIMARY KEY,
  goods_id INTEGER NOT NULL REFERENCES goods(id),
  village_id INTEGER NOT NULL REFERENCES villages(id),
  kind TEXT NOT NULL CHECK (kind IN ('intake', 'write_off', 'sale', 'void', 'count')),
  delta INTEGER NOT NULL CHECK (delta <> 0),
  stock_after INTEGER NOT NULL CHECK (stock_after >= 0),
  reason TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 200),
  source TEXT CHECK (source IS NULL OR source IN ('donation', 'government', 'village', 'other')),
  donor TEXT CHECK (donor IS NULL OR length(donor) BETWEEN 1 AND 60),
  redemption_id INTEGER REFERENCES redemptions(id),
  occurred_on TEXT NOT NULL CHECK (occurred_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  created_at_ms INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  CHECK (kind = 'count' OR (kind IN ('intake', 'void')) = (delta > 0)),
  CHECK (kind NOT IN ('write_off', 'count') OR reason IS NOT NULL),
  CHECK ((kind IN ('sale', 'void')) = (redemption_id IS NOT NULL)),
  CHECK ((kind = 'intake') = (source IS NOT NULL)),
  CHECK (donor IS NULL OR kind = 'intake'),
  CHECK (source IS NOT 'donation' OR donor IS NOT NULL)
) STRICT;
INSERT INTO stock_movements_new (id, goods_id, village_id, kind, delta, stock_after, reason, source, donor, redemption_id, occurred_on, created_at_ms, created_by)
  SELECT id, goods_id, village_id, kind, delta, stock_after, reason, CASE WHEN kind = 'intake' THEN 'other' END, NULL, redemption_id, occurred_on, created_at_ms, created_by
  FROM stock_movements ORDER BY id;
DROP TABLE stock_movements;
ALTER TABLE stock_movements_new RENAME TO stock_movements;
CREATE INDEX stock_movements_goods ON stock_movements(goods_id, id);
CREATE INDEX stock_movements_village_day ON stock_movements(village_id, occurred_on);

-- When a kiosk last made an authenticated request: written at most once a minute, like a
-- session's last_seen (src/auth/sessions.ts). NULL until it is first used.
ALTER TABLE kiosks ADD COLUMN last_seen_at_ms INTEGER;

-- Retired templates stay (villages copied them) but are listed only when asked for.
ALTER TABLE rule_templates ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));

-- The audit log becomes searchable (GET /api/audit). Each filter has its index, newest first by
-- (at_ms, id); the township's search over all villages walks the village-first ones village by
-- village (src/audit/audit-search.ts), so no index is kept twice, with and without the village.
-- Every write pays for these: five index entries on each audit row.
CREATE INDEX audit_log_village ON audit_log(village_id, at_ms);
CREATE INDEX audit_log_village_actor ON audit_log(village_id, actor_kind, actor_id, at_ms);
CREATE INDEX audit_log_village_action ON audit_log(village_id, action, at_ms);
CREATE INDEX audit_log_village_entity ON audit_log(village_id, entity, at_ms);
-- One record's rows (a redemption found by its receipt number, a household, a good).
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

-- When a staff member last signed in, for the staff list; from the audit log's sign-ins so far.
ALTER TABLE users ADD COLUMN last_sign_in_at_ms INTEGER;
UPDATE users SET last_sign_in_at_ms = (
  SELECT max(a.at_ms) FROM audit_log a WHERE a.entity = 'user' AND a.entity_id = CAST(users.id AS TEXT) AND a.action = 'login'
);

-- The staff's sales list filters a village's sales by day and by kiosk, newest first by
-- (occurred_on, id); by household it reads redemptions_household_day. Sales made at the counter
-- by a clerk have no kiosk and are left out of the kiosk index.
CREATE INDEX redemptions_village_day ON redemptions(village_id, occurred_on);
CREATE INDEX redemptions_kiosk_day ON redemptions(kiosk_id, occurred_on) WHERE kiosk_id IS NOT NULL;
