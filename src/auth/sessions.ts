import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { HOUR_MS, MINUTE_MS } from "../shared/clock.ts";
import type { Principal, StaffRole } from "./principal.ts";
import { randomToken, SESSION_TOKEN_BYTES, sha256Hex, DEVICE_TOKEN_BYTES } from "./tokens.ts";

export const SESSION_IDLE_MS = 12 * HOUR_MS;
/** last_seen is written at most this often, so reads do not each cost a durable commit. */
export const SESSION_TOUCH_INTERVAL_MS = MINUTE_MS;
export const SESSION_COOKIE = "jifen_session";

export function createSession(db: Database, userId: number, nowMs: number): string {
  const token = randomToken(SESSION_TOKEN_BYTES);
  db.query(
    "INSERT INTO sessions (token_hash, user_id, created_at_ms, last_seen_at_ms) VALUES (?, ?, ?, ?)",
  ).run(sha256Hex(token), userId, nowMs, nowMs);
  return token;
}

export function deleteSession(db: Database, token: string): void {
  db.query("DELETE FROM sessions WHERE token_hash = ?").run(sha256Hex(token));
  forgetPrincipals(db);
}

/**
 * Ends every session of a user at once (disabled, role changed, password reset), or every one but
 * the session making the request (a password changed by its owner). Call inside the write's transaction.
 */
export function endSessionsOf(db: Database, userId: number, keepToken?: string): void {
  if (keepToken === undefined) db.query("DELETE FROM sessions WHERE user_id = ?").run(userId);
  else
    db.query("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?").run(
      userId,
      sha256Hex(keepToken),
    );
  forgetPrincipals(db);
}

type SessionRow = {
  user_id: number;
  last_seen_at_ms: number;
  username: string;
  role: StaffRole;
  village_id: number | null;
  disabled: number;
};

/**
 * Who a session or device token belongs to, remembered per connection so that a busy kiosk or
 * clerk does not pay a database read per request (it was the largest single cost of an award
 * over HTTP). The memory never outlives what it remembers by more than a moment:
 * - this process's own writes to users, sessions and kiosks call `forgetPrincipals`, so a user
 *   disabled, a session ended or a kiosk revoked through this server is locked out at once;
 * - a write on any OTHER connection (another process, a script) is noticed through
 *   `PRAGMA data_version`, which changes exactly when another connection commits. It is asked at
 *   most every `OTHER_WRITERS_CHECK_MS`, because even that read costs a read transaction per
 *   request, so a change made outside this server takes effect within that time;
 * - a session (or a kiosk) is answered from memory only while the database path would neither
 *   expire it nor refresh its last_seen, so idle expiry and the once-a-minute touch happen exactly
 *   as they would without the memory.
 */
type Remembered = { principal: Principal; lastSeenAtMs: number };
type PrincipalCache = { dataVersion: number; checkedAtMs: number; byHash: Map<string, Remembered> };
const caches = new WeakMap<Database, PrincipalCache>();
/** Enough for every staff member and kiosk of a township; past it the memory starts over. */
const PRINCIPAL_CACHE_MAX = 10_000;
/** How often another connection's writes are looked for; see above. */
export const OTHER_WRITERS_CHECK_MS = 500;

function cacheOf(db: Database, nowMs: number): PrincipalCache {
  let cache = caches.get(db);
  if (
    cache !== undefined &&
    nowMs >= cache.checkedAtMs &&
    nowMs - cache.checkedAtMs < OTHER_WRITERS_CHECK_MS
  )
    return cache;
  const version = db.query<{ data_version: number }, []>("PRAGMA data_version").get()!.data_version;
  if (cache === undefined || cache.dataVersion !== version) {
    cache = { dataVersion: version, checkedAtMs: nowMs, byHash: new Map() };
    caches.set(db, cache);
  }
  cache.checkedAtMs = nowMs;
  return cache;
}

function remember(cache: PrincipalCache, hash: string, entry: Remembered): void {
  if (cache.byHash.size >= PRINCIPAL_CACHE_MAX) cache.byHash.clear();
  cache.byHash.set(hash, entry);
}

/** Call after this process changes who may sign in: a user disabled, a session ended, a kiosk revoked. */
export function forgetPrincipals(db: Database): void {
  caches.delete(db);
}

export function principalFromSession(db: Database, token: string, nowMs: number): Principal | null {
  const hash = sha256Hex(token);
  const cache = cacheOf(db, nowMs);
  const known = cache.byHash.get(hash);
  if (
    known !== undefined &&
    known.principal.kind === "user" &&
    nowMs - known.lastSeenAtMs <= SESSION_TOUCH_INTERVAL_MS
  )
    return known.principal;
  const row = db
    .query<SessionRow, [string]>(
      `SELECT s.user_id, s.last_seen_at_ms, u.username, u.role, u.village_id, u.disabled
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
    )
    .get(hash);
  if (!row) return null;
  if (row.disabled === 1 || nowMs - row.last_seen_at_ms > SESSION_IDLE_MS) {
    immediate(db, () => db.query("DELETE FROM sessions WHERE token_hash = ?").run(hash));
    cache.byHash.delete(hash);
    return null;
  }
  let lastSeenAtMs = row.last_seen_at_ms;
  if (nowMs - row.last_seen_at_ms > SESSION_TOUCH_INTERVAL_MS) {
    immediate(db, () =>
      db.query("UPDATE sessions SET last_seen_at_ms = ? WHERE token_hash = ?").run(nowMs, hash),
    );
    lastSeenAtMs = nowMs;
  }
  const principal: Principal = {
    kind: "user",
    userId: row.user_id,
    username: row.username,
    role: row.role,
    villageId: row.village_id,
  };
  remember(cache, hash, { principal, lastSeenAtMs });
  return principal;
}

/** A kiosk's last_seen is written at most this often, so a sale seen within it writes nothing more. */
export const KIOSK_TOUCH_INTERVAL_MS = MINUTE_MS;

/**
 * The kiosk a device token belongs to. Its last_seen is written, in a transaction of its own, when
 * the kiosk has not been seen for KIOSK_TOUCH_INTERVAL_MS: a busy kiosk's sales are answered from
 * memory with no extra write, as sessions are.
 */
export function principalFromDeviceToken(
  db: Database,
  token: string,
  nowMs: number,
): Principal | null {
  const hash = sha256Hex(token);
  const cache = cacheOf(db, nowMs);
  const known = cache.byHash.get(hash);
  if (
    known !== undefined &&
    known.principal.kind === "kiosk" &&
    nowMs - known.lastSeenAtMs <= KIOSK_TOUCH_INTERVAL_MS
  )
    return known.principal;
  const row = db
    .query<{ id: number; village_id: number; last_seen_at_ms: number | null }, [string]>(
      "SELECT id, village_id, last_seen_at_ms FROM kiosks WHERE token_hash = ? AND revoked_at_ms IS NULL",
    )
    .get(hash);
  if (!row) return null;
  let lastSeenAtMs = row.last_seen_at_ms ?? Number.NEGATIVE_INFINITY;
  if (nowMs - lastSeenAtMs > KIOSK_TOUCH_INTERVAL_MS) {
    immediate(db, () =>
      db.query("UPDATE kiosks SET last_seen_at_ms = ? WHERE id = ?").run(nowMs, row.id),
    );
    lastSeenAtMs = nowMs;
  }
  const principal: Principal = { kind: "kiosk", kioskId: row.id, villageId: row.village_id };
  remember(cache, hash, { principal, lastSeenAtMs });
  return principal;
}

export function newDeviceToken(): { token: string; hash: string } {
  const token = randomToken(DEVICE_TOKEN_BYTES);
  return { token, hash: sha256Hex(token) };
}
