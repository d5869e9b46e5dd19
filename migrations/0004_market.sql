-- The points supermarket (积分超市): goods, the stock ledger, redemptions with their lines, and
-- the Idempotency-Key store for redemptions.

CREATE TABLE goods (
  id INTEGER PRIMARY KEY,
  village_id INTEGER NOT NULL REFERENCES villages(id),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  price_points INTEGER NOT NULL CHECK (price_points BETWEEN 1 AND 1000000),
  category TEXT CHECK (category IS NULL OR length(category) BETWEEN 1 AND 30),
  -- A same-origin path: an uploaded photo (/goods-images/…) or a bundled picture (/goods/…).
  image_url TEXT CHECK (image_url IS NULL OR length(image_url) BETWEEN 1 AND 300),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  -- The sum of this good's stock movements, moved in the same transaction as each movement, so a
  -- sale reads one row instead of summing the history. The CHECK is the last line of defence.
  stock INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX goods_village ON goods(village_id, active, category, name);

-- A redemption (兑换): one basket, one ledger entry. entry_id is set in the same transaction right
-- after the entry is posted (the entry names the redemption, so one of the two must come first).
CREATE TABLE redemptions (
  id INTEGER PRIMARY KEY,
  village_id INTEGER NOT NULL REFERENCES villages(id),
  household_id INTEGER NOT NULL REFERENCES households(id),
  card_id INTEGER NOT NULL REFERENCES cards(id),
  -- Per village, 1, 2, 3, … without gaps: allocated as MAX + 1 inside the IMMEDIATE transaction.
  receipt_no INTEGER NOT NULL CHECK (receipt_no >= 1),
  total_points INTEGER NOT NULL CHECK (total_points > 0),
  balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
  entry_id INTEGER UNIQUE REFERENCES entries(id),
  kiosk_id INTEGER REFERENCES kiosks(id),
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  occurred_on TEXT NOT NULL CHECK (occurred_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  voided_at_ms INTEGER,
  voided_on TEXT,
  voided_by TEXT,
  void_reason TEXT CHECK (void_reason IS NULL OR length(void_reason) BETWEEN 1 AND 200),
  void_entry_id INTEGER UNIQUE REFERENCES entries(id),
  UNIQUE (village_id, receipt_no),
  CHECK ((voided_at_ms IS NULL) = (void_entry_id IS NULL)),
  CHECK ((voided_at_ms IS NULL) = (voided_on IS NULL))
) STRICT;
CREATE INDEX redemptions_village ON redemptions(village_id, id);
CREATE INDEX redemptions_created_by ON redemptions(created_by, id);
CREATE INDEX redemptions_household_day ON redemptions(household_id, occurred_on);
CREATE INDEX redemptions_village_day ON redemptions(village_id, occurred_on);
CREATE INDEX redemptions_village_voided_day ON redemptions(village_id, voided_on) WHERE voided_on IS NOT NULL;

-- A line copies the good's name and price as sold, so a later price change never changes it.
CREATE TABLE redemption_lines (
  redemption_id INTEGER NOT NULL REFERENCES redemptions(id),
  line_no INTEGER NOT NULL CHECK (line_no >= 1),
  goods_id INTEGER NOT NULL REFERENCES goods(id),
  name TEXT NOT NULL,
  price_points INTEGER NOT NULL CHECK (price_points >= 1),
  quantity INTEGER NOT NULL CHECK (quantity >= 1),
  points INTEGER NOT NULL CHECK (points = price_points * quantity),
  PRIMARY KEY (redemption_id, line_no)
) STRICT;

-- The stock ledger: every change of a good's stock is one row here; goods.stock is their sum.
CREATE TABLE stock_movements (
  id INTEGER PRIMARY KEY,
  goods_id INTEGER NOT NULL REFERENCES goods(id),
  village_id INTEGER NOT NULL REFERENCES villages(id),
  kind TEXT NOT NULL CHECK (kind IN ('intake', 'write_off', 'sale', 'void')),
  delta INTEGER NOT NULL CHECK (delta <> 0),
  stock_after INTEGER NOT NULL CHECK (stock_after >= 0),
  reason TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 200),
  redemption_id INTEGER REFERENCES redemptions(id),
  occurred_on TEXT NOT NULL CHECK (occurred_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  created_at_ms INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  CHECK ((kind IN ('intake', 'void')) = (delta > 0)),
  CHECK (kind <> 'write_off' OR reason IS NOT NULL),
  CHECK ((kind IN ('sale', 'void')) = (redemption_id IS NOT NULL))
) STRICT;
CREATE INDEX stock_movements_goods ON stock_movements(goods_id, id);
CREATE INDEX stock_movements_village_day ON stock_movements(village_id, occurred_on);

-- Idempotency-Key (IETF draft "The Idempotency-Key HTTP Header Field"): a key belongs to one
-- caller (kiosk:3, user:5); the fingerprint is the SHA-256 of method, path and body; the first
-- successful answer is kept and replayed. Rows older than the retention period are purged.
CREATE TABLE idempotency_keys (
  caller TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
  status INTEGER NOT NULL CHECK (status BETWEEN 200 AND 599),
  response TEXT NOT NULL,
  redemption_id INTEGER REFERENCES redemptions(id),
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (caller, idempotency_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at_ms);
