/**
 * Staff PINs for the kiosk's sign-in (migrations/0015): whether one is set, which PINs are too
 * easy, the count of wrong tries per staff member and per kiosk, and setting or clearing one's
 * own PIN. SQL, pure rules and use cases; the sign-in with a PIN is src/auth/sign-in.ts, the
 * routes are src/auth/pin-routes.ts.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { MINUTE_MS } from "../shared/clock.ts";
import { ok } from "../shared/result.ts";
import type { Principal } from "./principal.ts";
import { forgiveTry } from "./login-throttle.ts";
import { refusal, type AuthResult } from "./refusal.ts";
import { hashPasswordAsync, passwordHashOf } from "./users.ts";

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
  return (
    db
      .query<{ has: number }, [number]>(
        "SELECT pin_hash IS NOT NULL AS has FROM users WHERE id = ?",
      )
      .get(userId)?.has === 1
  );
}

export type PinTry = { id: number | null } | { waitMs: number };

/**
 * Counts a PIN try before its hash, in one IMMEDIATE transaction with the check, so a burst of
 * parallel tries reaches the hash at most as often as the limits allow. `userId` null (no such
 * staff member here) is checked against the kiosk's limit only: it can sign no one in.
 */
export function reservePinTry(
  db: Database,
  userId: number | null,
  kioskId: number,
  nowMs: number,
): PinTry {
  return immediate(db, () => {
    const since = nowMs - PIN_WINDOW_MS;
    // The instant the count in the window falls below `max`: the oldest of the last `max` tries, plus the window.
    const waitFor = (max: number, column: "user_id" | "kiosk_id", id: number): number => {
      const row = db
        .query<{ at_ms: number }, [number, number]>(
          `SELECT at_ms FROM pin_failures WHERE ${column} = ? AND at_ms > ? ORDER BY at_ms DESC LIMIT 1 OFFSET ${max - 1}`,
        )
        .get(id, since);
      return row === null ? 0 : row.at_ms + PIN_WINDOW_MS - nowMs;
    };
    const waitMs = Math.max(
      waitFor(PIN_FAILURES_PER_KIOSK_MAX, "kiosk_id", kioskId),
      userId === null ? 0 : waitFor(PIN_FAILURES_PER_USER_MAX, "user_id", userId),
    );
    if (waitMs > 0) return { waitMs };
    db.query("DELETE FROM pin_failures WHERE at_ms <= ?").run(since);
    if (userId === null) return { id: null };
    const row = db
      .query<{ id: number }, [number, number, number]>(
        "INSERT INTO pin_failures (user_id, kiosk_id, at_ms) VALUES (?, ?, ?) RETURNING rowid AS id",
      )
      .get(userId, kioskId, nowMs)!;
    return { id: row.id };
  });
}

/** A PIN one may set: not one anyone would try first. */
export function acceptablePin(pin: string): AuthResult<string> {
  if (pinTooSimple(pin))
    return refusal("validation", "This PIN is too easy to guess.", {
      errors: [{ path: "body.pin", message: "too simple" }],
      code: "pin-too-simple",
    });
  return ok(pin);
}

type Staff = Extract<Principal, { kind: "user" }>;

export type OwnPin = { pin: string; password: string; tried: { id: number } };

/**
 * Sets or changes one's own PIN, the current password required; `tried` is the sign-in try the
 * caller reserved for that password, forgiven when it is right. A new PIN starts with a clean
 * count of wrong tries.
 */
export async function setOwnPin(
  db: Database,
  audit: AuditContext,
  staff: Staff,
  input: OwnPin,
): Promise<AuthResult<null>> {
  const stored = passwordHashOf(db, staff.userId);
  if (stored === null) return refusal("unauthenticated", "Sign in first.");
  if (!(await Bun.password.verify(input.password, stored))) {
    return refusal("validation", "The password is wrong.", {
      errors: [{ path: "body.password", message: "wrong password" }],
      code: "wrong-password",
    });
  }
  const pinHash = await hashPasswordAsync(input.pin);
  immediate(db, () => {
    forgiveTry(db, input.tried, staff.username, audit.address);
    const had = userHasPin(db, staff.userId);
    db.query("UPDATE users SET pin_hash = ? WHERE id = ?").run(pinHash, staff.userId);
    db.query("DELETE FROM pin_failures WHERE user_id = ?").run(staff.userId);
    recordAudit(db, audit, {
      action: had ? "change_pin" : "set_pin",
      entity: "user",
      entityId: staff.userId,
      villageId: staff.villageId,
      detail: { username: staff.username },
    });
  });
  return ok(null);
}

/** Clears one's own PIN (nothing happens, and nothing is audited, when there is none). */
export function clearOwnPin(db: Database, audit: AuditContext, staff: Staff): void {
  immediate(db, () => {
    if (!userHasPin(db, staff.userId)) return;
    db.query("UPDATE users SET pin_hash = NULL WHERE id = ?").run(staff.userId);
    recordAudit(db, audit, {
      action: "clear_pin",
      entity: "user",
      entityId: staff.userId,
      villageId: staff.villageId,
      detail: { username: staff.username },
    });
  });
}

/** A village's active staff who have set a PIN, by name: the kiosk's sign-in list. */
export function staffWithPins(db: Database, villageId: number): { id: number; name: string }[] {
  return db
    .query<{ id: number; name: string }, [number]>(
      "SELECT id, coalesce(display_name, username) AS name FROM users WHERE village_id = ? AND disabled = 0 AND pin_hash IS NOT NULL ORDER BY name COLLATE NOCASE, id",
    )
    .all(villageId);
}

export type PinCandidate = { id: number; village_id: number; pin_hash: string };

/** The staff member a PIN may sign in at a kiosk of this village: active, of the village, with a PIN. */
export function pinCandidate(db: Database, userId: number, villageId: number): PinCandidate | null {
  return db
    .query<PinCandidate, [number, number]>(
      "SELECT id, village_id, pin_hash FROM users WHERE id = ? AND village_id = ? AND disabled = 0 AND pin_hash IS NOT NULL",
    )
    .get(userId, villageId);
}

/** The PIN was right: this try does not count, nor do the member's earlier wrong ones at this kiosk. Call inside the sign-in's transaction. */
export function forgivePinTry(
  db: Database,
  triedId: number,
  userId: number,
  kioskId: number,
): void {
  db.query("DELETE FROM pin_failures WHERE rowid = ? OR (user_id = ? AND kiosk_id = ?)").run(
    triedId,
    userId,
    kioskId,
  );
}
