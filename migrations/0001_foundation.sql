-- Villages, staff, sessions, households, members, cards, kiosk devices and the audit log.
-- Ids are INTEGER keys, shown to clients as strings. Times are epoch milliseconds (UTC).

CREATE TABLE villages (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 20),
  notice_days INTEGER NOT NULL DEFAULT 0 CHECK (notice_days BETWEEN 0 AND 30),
  require_approval INTEGER NOT NULL DEFAULT 0 CHECK (require_approval IN (0, 1)),
  points_expire INTEGER NOT NULL DEFAULT 0 CHECK (points_expire IN (0, 1)),
  daily_redeem_limit_points INTEGER CHECK (daily_redeem_limit_points IS NULL OR daily_redeem_limit_points > 0),
  show_bottom_list INTEGER NOT NULL DEFAULT 0 CHECK (show_bottom_list IN (0, 1)),
  star_thresholds TEXT NOT NULL DEFAULT '[50,100,200,300,500]',
  created_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 2 AND 40),
  display_name TEXT,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('township_admin', 'village_admin', 'clerk')),
  village_id INTEGER REFERENCES villages(id),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at_ms INTEGER NOT NULL,
  CHECK ((role = 'township_admin') = (village_id IS NULL))
) STRICT;

-- Only the SHA-256 of a session token is stored: a copy of the database signs no one in.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at_ms INTEGER NOT NULL,
  last_seen_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL COLLATE NOCASE,
  address TEXT NOT NULL,
  at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_username ON login_failures(username, at_ms);
CREATE INDEX login_failures_address ON login_failures(address, at_ms);

CREATE TABLE households (
  id INTEGER PRIMARY KEY,
  village_id INTEGER NOT NULL REFERENCES villages(id),
  head_name TEXT NOT NULL CHECK (length(head_name) BETWEEN 1 AND 40),
  head_initials TEXT NOT NULL,
  head_pinyin TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 120),
  external_id TEXT CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 40),
  balance INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX households_external ON households(village_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX households_name ON households(village_id, head_name);
CREATE INDEX households_initials ON households(village_id, head_initials);
CREATE INDEX households_pinyin ON households(village_id, head_pinyin);
CREATE INDEX households_name_address ON households(village_id, head_name, address);

CREATE TABLE members (
  id INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES households(id),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  relation TEXT CHECK (relation IS NULL OR length(relation) <= 20),
  is_head INTEGER NOT NULL DEFAULT 0 CHECK (is_head IN (0, 1))
) STRICT;
CREATE INDEX members_household ON members(household_id);
CREATE INDEX members_name ON members(name);

-- The card token is kept in clear because the village reprints card sheets from it; it opens
-- only the read-only resident page, never a sale without a paired kiosk.
CREATE TABLE cards (
  id INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES households(id),
  village_id INTEGER NOT NULL REFERENCES villages(id),
  token TEXT NOT NULL UNIQUE CHECK (length(token) >= 22),
  number TEXT NOT NULL UNIQUE CHECK (length(number) = 8),
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER
) STRICT;
CREATE INDEX cards_household ON cards(household_id);
CREATE INDEX cards_village ON cards(village_id, revoked_at_ms);

CREATE TABLE kiosks (
  id INTEGER PRIMARY KEY,
  village_id INTEGER NOT NULL REFERENCES villages(id),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  token_hash TEXT NOT NULL UNIQUE,
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER
) STRICT;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'kiosk', 'public', 'system')),
  actor_id TEXT,
  village_id INTEGER,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  address TEXT,
  request_id TEXT,
  detail TEXT
) STRICT;
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_village ON audit_log(village_id, at_ms);
