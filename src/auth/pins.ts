/**
 * Staff PINs for the kiosk's sign-in (migrations/0015): whether one is set, which PINs are too
 * easy, and the count of wrong tries per staff member and per kiosk. SQL and pure rules; the
 * routes are src/auth/pin-routes.ts.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { MINUTE_MS } from "../shared/clock.ts";

export const PIN_LENGTH_MIN = 4;
export const PIN_LENGTH_MAX = 6;
export const PIN_WINDOW_MS = 15 * MINUTE_MS;
/** Wrong PINs for one staff member, from every kiosk together, within the window. */
export const PIN_FAILURES_PER_USER_MAX = 5;
/** Wrong PINs at one kiosk, for anyone, within the window (someone trying everyone's PIN). */
export const PIN_FAILURES_PER_KIOSK_MAX = 10;

/** A PIN anyone would try first: one digit repeated, or digits counting up or down (1234, 9876). */
export function pinTooSimple(pin: string): boolean {
  const steps = new Set<number>();
  for (let i = 1; i < pin.length; i++) steps.add((Number(pin[i]) - Number(pin[i - 1]) + 10) % 10);
  return steps.size === 1 && [0, 1, 9].includes([...steps][0]!);
}

export function userHasPin(db: Database, userId: number): boolean {
  return db.query<{ has: number }, [number]>("SELECT pin_hash IS NOT NULL AS has FROM users WHERE id = ?").get(userId)?.has === 1;
}

export type PinTry = { id: number | null } | { waitMs: number };

/**
 * Counts a PIN try before its hash, in one IMMEDIATE transaction with the check, so a burst of
 * parallel tries reaches the hash at most as often as the limits allow. `userId` null (no such
 * staff member here) is checked against the kiosk's limit only: it can sign no one in.
 */
export function reservePinTry(db: Database, userId: number | null, kioskId: number, nowMs: number): PinTry {
  return immediate(db, () => {
    const since = nowMs - PIN_WINDOW_MS;
    // The instant the count in the window falls below `max`: the oldest of the last `max` tries, plus the window.
    const waitFor = (max: number, column: "user_id" | "kiosk_id", id: number): number => {
      const row = db.query<{ at_ms: number }, [number, number]>(`SELECT at_ms FROM pin_failures WHERE ${column} = ? AND at_ms > ? ORDER BY at_ms DESC LIMIT 1 OFFSET ${max - 1}`).get(id, since);
      return row === null ? 0 : row.at_ms + PIN_WINDOW_MS - nowMs;
    };
    const waitMs = Math.max(waitFor(PIN_FAILURES_PER_KIOSK_MAX, "kiosk_id", kioskId), userId === null ? 0 : waitFor(PIN_FAILURES_PER_USER_MAX, "user_id", userId));
    if (waitMs > 0) return { waitMs };
    db.query("DELETE FROM pin_failures WHERE at_ms <= ?").run(since);
    if (userId === null) return { id: null };
    const row = db.query<{ id: number }, [number, number, number]>("INSERT INTO pin_failures (user_id, kiosk_id, at_ms) VALUES (?, ?, ?) RETURNING rowid AS id").get(userId, kioskId, nowMs)!;
    return { id: row.id };
  });
}
