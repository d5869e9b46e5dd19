import type { Database } from "bun:sqlite";
import { HOUR_MS, MINUTE_MS } from "../shared/clock.ts";
import type { Principal, StaffRole } from "./principal.ts";
import { randomToken, SESSION_TOKEN_BYTES, sha256Hex, DEVICE_TOKEN_BYTES } from "./tokens.ts";

export const SESSION_IDLE_MS = 12 * HOUR_MS;
/** last_seen is written at most this often, so reads do not each cost a durable commit. */
export const SESSION_TOUCH_INTERVAL_MS = MINUTE_MS;
export const SESSION_COOKIE = "jifen_session";

export function createSession(db: Database, userId: number, nowMs: number): string {
  const token = randomToken(SESSION_TOKEN_BYTES);
  db.query("INSERT INTO sessions (token_hash, user_id, created_at_ms, last_seen_at_ms) VALUES (?, ?, ?, ?)").run(sha256Hex(token), userId, nowMs, nowMs);
  return token;
}

export function deleteSession(db: Database, token: string): void {
  db.query("DELETE FROM sessions WHERE token_hash = ?").run(sha256Hex(token));
}

type SessionRow = { user_id: number; last_seen_at_ms: number; username: string; role: StaffRole; village_id: number | null; disabled: number };

export function principalFromSession(db: Database, token: string, nowMs: number): Principal | null {
  const hash = sha256Hex(token);
  const row = db
    .query<SessionRow, [string]>(
      `SELECT s.user_id, s.last_seen_at_ms, u.username, u.role, u.village_id, u.disabled
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
    )
    .get(hash);
  if (!row) return null;
  if (row.disabled === 1 || nowMs - row.last_seen_at_ms > SESSION_IDLE_MS) {
    db.query("DELETE FROM sessions WHERE token_hash = ?").run(hash);
    return null;
  }
  if (nowMs - row.last_seen_at_ms > SESSION_TOUCH_INTERVAL_MS) {
    db.query("UPDATE sessions SET last_seen_at_ms = ? WHERE token_hash = ?").run(nowMs, hash);
  }
  return { kind: "user", userId: row.user_id, username: row.username, role: row.role, villageId: row.village_id };
}

export function principalFromDeviceToken(db: Database, token: string): Principal | null {
  const row = db
    .query<{ id: number; village_id: number }, [string]>("SELECT id, village_id FROM kiosks WHERE token_hash = ? AND revoked_at_ms IS NULL")
    .get(sha256Hex(token));
  return row ? { kind: "kiosk", kioskId: row.id, villageId: row.village_id } : null;
}

export function newDeviceToken(): { token: string; hash: string } {
  const token = randomToken(DEVICE_TOKEN_BYTES);
  return { token, hash: sha256Hex(token) };
}
