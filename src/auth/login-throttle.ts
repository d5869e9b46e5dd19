import type { Database } from "bun:sqlite";
import { MINUTE_MS } from "../shared/clock.ts";

export const LOGIN_WINDOW_MS = 15 * MINUTE_MS;
export const LOGIN_FAILURES_MAX = 5;

/**
 * Failed sign-ins are kept in the database, not in memory, so the limit holds across restarts
 * and across server processes on one file.
 */
export function loginBlockedForMs(db: Database, username: string, address: string, nowMs: number): number {
  const since = nowMs - LOGIN_WINDOW_MS;
  const oldest = (sql: string, key: string) => {
    const rows = db.query<{ at_ms: number }, [string, number]>(sql).all(key, since);
    return rows.length >= LOGIN_FAILURES_MAX ? rows[rows.length - LOGIN_FAILURES_MAX]!.at_ms : null;
  };
  const byName = oldest("SELECT at_ms FROM login_failures WHERE username = ? AND at_ms > ? ORDER BY at_ms", username);
  const byAddress = oldest("SELECT at_ms FROM login_failures WHERE address = ? AND at_ms > ? ORDER BY at_ms", address);
  const blockers = [byName, byAddress].filter((x): x is number => x !== null);
  if (blockers.length === 0) return 0;
  return Math.max(...blockers.map((at) => at + LOGIN_WINDOW_MS - nowMs));
}

export function recordLoginFailure(db: Database, username: string, address: string, nowMs: number): void {
  db.query("INSERT INTO login_failures (username, address, at_ms) VALUES (?, ?, ?)").run(username, address, nowMs);
  db.query("DELETE FROM login_failures WHERE at_ms <= ?").run(nowMs - LOGIN_WINDOW_MS);
}
