-- Security hardening (issue 20): how far back an entry may be dated, a household PIN for sales
-- whose card was typed as its number, sign-in failures counted per username and address, and one
-- objection per card and entry.

-- An entry's occurredOn may be at most this many days before today (src/ledger/entry.ts), so a
-- monthly cap cannot be dodged by dating an award into a long-gone month.
ALTER TABLE villages ADD COLUMN backdate_days_max INTEGER NOT NULL DEFAULT 90 CHECK (backdate_days_max BETWEEN 0 AND 3650);

-- With this on, a sale whose card was typed as its 8-digit number must carry the household's PIN.
ALTER TABLE villages ADD COLUMN require_pin_for_number INTEGER NOT NULL DEFAULT 0 CHECK (require_pin_for_number IN (0, 1));

-- The household's PIN as an argon2id hash (Bun.password); NULL when it has none.
ALTER TABLE households ADD COLUMN pin_hash TEXT CHECK (pin_hash IS NULL OR length(pin_hash) BETWEEN 20 AND 300);

-- Sign-in tries are limited per username and address (src/auth/login-throttle.ts).
CREATE INDEX login_failures_pair ON login_failures(username, address, at_ms);

-- A card objects to an entry once. A trigger, not a UNIQUE index: objections made before this
-- rule may already repeat, and they stay as they were.
CREATE TRIGGER objections_once_per_card BEFORE INSERT ON objections
WHEN NEW.card_id IS NOT NULL AND EXISTS (SELECT 1 FROM objections WHERE entry_id = NEW.entry_id AND card_id = NEW.card_id)
BEGIN
  SELECT RAISE(ABORT, 'this card has already objected to this entry');
END;
