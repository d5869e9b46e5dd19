import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { DAY_MS, MINUTE_MS } from "../shared/clock.ts";

export const LOGIN_WINDOW_MS = 15 * MINUTE_MS;
/** Wrong passwords for one username from one address within the window; then that pair waits. */
export const LOGIN_FAILURES_MAX = 5;
/** Wrong passwords from one address for any usernames (one address trying many accounts). */
export const ADDRESS_FAILURES_MAX = 20;
/**
 * Wrong passwords for one username from all addresses together: only a guessing attack from ten
 * or more addresses reaches it. It then holds back every address that has not signed in as that
 * username within KNOWN_ADDRESS_MS, so the account's own people still get in from where they work.
 */
export const USERNAME_FAILURES_MAX = 50;
export const KNOWN_ADDRESS_MS = 90 * DAY_MS;

/**
 * Sign-in tries are limited per username AND address, so a wrong password from one address slows
 * that address without locking the right password out from another (behind a reverse proxy, set
 * TRUST_PROXY so that each client has its own address; src/main.ts).
 *
 * A try is counted BEFORE its password is hashed, in the same IMMEDIATE transaction as the check:
 * a burst of parallel requests is serialized by that transaction, so at most the limit of them
 * ever reach the slow hash. A try whose password turns out right is taken back (`forgiveTry`).
 * The rows live in the database, not in memory, so the limit holds across restarts and across
 * server processes on one file.
 */
export type LoginTry = { id: number } | { waitMs: number };

export function reserveLoginTry(
  db: Database,
  username: string,
  address: string,
  nowMs: number,
): LoginTry {
  return immediate(db, () => {
    const waitMs = loginBlockedForMs(db, username, address, nowMs);
    if (waitMs > 0) return { waitMs };
    db.query("DELETE FROM login_failures WHERE at_ms <= ?").run(nowMs - LOGIN_WINDOW_MS);
    const row = db
      .query<{ id: number }, [string, string, number]>(
        "INSERT INTO login_failures (username, address, at_ms) VALUES (?, ?, ?) RETURNING id",
      )
      .get(username, address, nowMs)!;
    return { id: row.id };
  });
}

/** The password was right: this try does not count, nor do the pair's earlier wrong ones. Call inside the sign-in's transaction. */
export function forgiveTry(
  db: Database,
  tried: { id: number },
  username: string,
  address: string,
): void {
  db.query("DELETE FROM login_failures WHERE id = ? OR (username = ? AND address = ?)").run(
    tried.id,
    username,
    address,
  );
}

/** Milliseconds until this username may be tried again from this address; 0 when it may now. */
export function loginBlockedForMs(
  db: Database,
  username: string,
  address: string,
  nowMs: number,
): number {
  const since = nowMs - LOGIN_WINDOW_MS;
  // The time at which the count in the window falls below `max`: the oldest of the last `max` tries, plus the window.
  const waitFor = (max: number, sql: string, ...args: (string | number)[]): number => {
    const row = db
      .query<{ at_ms: number }, (string | number)[]>(
        `${sql} ORDER BY at_ms DESC LIMIT 1 OFFSET ${max - 1}`,
      )
      .get(...args, since);
    return row === null ? 0 : row.at_ms + LOGIN_WINDOW_MS - nowMs;
  };
  let waitMs = Math.max(
    waitFor(
      LOGIN_FAILURES_MAX,
      "SELECT at_ms FROM login_failures WHERE username = ? AND address = ? AND at_ms > ?",
      username,
      address,
    ),
    waitFor(
      ADDRESS_FAILURES_MAX,
      "SELECT at_ms FROM login_failures WHERE address = ? AND at_ms > ?",
      address,
    ),
  );
  const byName = waitFor(
    USERNAME_FAILURES_MAX,
    "SELECT at_ms FROM login_failures WHERE username = ? AND at_ms > ?",
    username,
  );
  if (byName > 0 && !signedInFrom(db, username, address, nowMs)) waitMs = Math.max(waitMs, byName);
  return waitMs;
}

/** Whether this username signed in from this address lately (the audit log's sign-ins). */
function signedInFrom(db: Database, username: string, address: string, nowMs: number): boolean {
  const user = db
    .query<{ id: number }, [string]>("SELECT id FROM users WHERE username = ?")
    .get(username);
  if (user === null) return false;
  return (
    db
      .query(
        "SELECT 1 FROM audit_log WHERE entity = 'user' AND entity_id = ? AND action = 'login' AND address = ? AND at_ms > ? LIMIT 1",
      )
      .get(String(user.id), address, nowMs - KNOWN_ADDRESS_MS) !== null
  );
}
