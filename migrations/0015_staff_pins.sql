-- Staff sign in on the kiosk without a keyboard: a short PIN of their own, typed on the kiosk's
-- on-screen keypad (src/auth/pin-routes.ts). Stored as an argon2id hash like a password; NULL
-- when the staff member has set none (they are then not listed on the kiosk).
ALTER TABLE users ADD COLUMN pin_hash TEXT CHECK (pin_hash IS NULL OR length(pin_hash) BETWEEN 20 AND 300);

-- Wrong PINs, kept in the database like wrong passwords so the limit holds across restarts and
-- processes: per staff member (someone guessing one person's PIN from any kiosk) and per kiosk
-- (someone trying everyone's PIN at one kiosk). Rows older than the window are deleted as new
-- ones come.
CREATE TABLE pin_failures (
  user_id INTEGER NOT NULL REFERENCES users(id),
  kiosk_id INTEGER NOT NULL REFERENCES kiosks(id),
  at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX pin_failures_user ON pin_failures(user_id, at_ms);
CREATE INDEX pin_failures_kiosk ON pin_failures(kiosk_id, at_ms);

-- The language a village's resident pages (the card page, the public board, the printed card's
-- line, the receipt) speak when the reader has not chosen one: Simplified Chinese or Uyghur.
ALTER TABLE villages ADD COLUMN default_language TEXT NOT NULL DEFAULT 'zh-CN' CHECK (default_language IN ('zh-CN', 'ug'));
