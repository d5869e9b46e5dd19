/**
 * Signing in and out as use cases: a username and password, or (on a kiosk) a staff member and
 * their PIN. The caller reserves the try with its throttle (src/auth/login-throttle.ts,
 * reservePinTry in src/auth/pins.ts) before the slow hash; a right answer forgives that try in
 * the same transaction that opens the session and writes the audit row. Every wrong answer takes
 * the time of a hash, so a missing user is not told apart from a wrong password.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { ok } from "../shared/result.ts";
import type { Principal } from "./principal.ts";
import { createSession, deleteSession } from "./sessions.ts";
import { forgiveTry } from "./login-throttle.ts";
import { forgivePinTry, pinCandidate, type PinCandidate } from "./pins.ts";
import { refusal, type AuthResult } from "./refusal.ts";
import {
  findUserById,
  findUserForLogin,
  hashPassword,
  hashPasswordAsync,
  recordSignIn,
  type UserRow,
} from "./users.ts";

/** A hash to verify against when the username is unknown, so both paths take the same time. */
const DUMMY_HASH = hashPassword("not-a-real-password-ever");

/** A hash to verify against when no one could match a PIN, so every refusal takes the same time. */
let dummyPinHash: Promise<string> | null = null;

export type SignedIn = { token: string; user: UserRow };

export type PasswordSignIn = {
  username: string;
  password: string;
  tried: { id: number };
  nowMs: number;
};

/** Signs a staff member in with their password: a session token, or 401 for any wrong answer. */
export async function signInWithPassword(
  db: Database,
  audit: AuditContext,
  input: PasswordSignIn,
): Promise<AuthResult<SignedIn>> {
  const user = findUserForLogin(db, input.username);
  const valid = await Bun.password.verify(input.password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !valid || user.disabled === 1)
    return refusal("unauthenticated", "The username or password is wrong.");
  const token = immediate(db, () => {
    forgiveTry(db, input.tried, input.username, audit.address);
    const t = createSession(db, user.id, input.nowMs);
    recordSignIn(db, user.id, input.nowMs);
    recordAudit(
      db,
      { ...audit, actorKind: "user", actorId: String(user.id) },
      { action: "login", entity: "user", entityId: user.id, villageId: user.village_id },
    );
    return t;
  });
  return ok({ token, user: { ...user, last_sign_in_at_ms: input.nowMs } });
}

/** Ends the session of this token; a staff member's sign-out is audited. */
export function signOut(
  db: Database,
  audit: AuditContext,
  principal: Principal | null,
  token: string,
): void {
  immediate(db, () => {
    deleteSession(db, token);
    if (principal?.kind === "user")
      recordAudit(db, audit, {
        action: "logout",
        entity: "user",
        entityId: principal.userId,
        villageId: principal.villageId,
      });
  });
}

export type PinSignIn = {
  userId: number;
  pin: string;
  /** The kiosk asking, and its village: only that village's staff sign in there. */
  kioskId: number;
  villageId: number;
  /** pinCandidate(userId, villageId) as it was when the try was reserved. */
  candidate: PinCandidate | null;
  tried: { id: number | null };
  nowMs: number;
};

/** Signs a staff member of the kiosk's village in with their PIN: a session token, or 401 wrong-pin. */
export async function signInWithPin(
  db: Database,
  audit: AuditContext,
  input: PinSignIn,
): Promise<AuthResult<SignedIn>> {
  const { candidate, kioskId } = input;
  dummyPinHash ??= hashPasswordAsync("not-a-pin");
  const valid = await Bun.password.verify(input.pin, candidate?.pin_hash ?? (await dummyPinHash));
  const wrong = () => refusal("unauthenticated", "The PIN is wrong.", { code: "wrong-pin" });
  if (candidate === null || !valid) return wrong();
  const signedIn = immediate(db, (): AuthResult<string> => {
    // Disabled, or the PIN changed, while the hash was checked: no sign-in.
    if (pinCandidate(db, input.userId, input.villageId)?.pin_hash !== candidate.pin_hash)
      return wrong();
    if (input.tried.id !== null) forgivePinTry(db, input.tried.id, candidate.id, kioskId);
    const t = createSession(db, candidate.id, input.nowMs);
    recordSignIn(db, candidate.id, input.nowMs);
    recordAudit(
      db,
      { ...audit, actorKind: "user", actorId: String(candidate.id) },
      {
        action: "login",
        entity: "user",
        entityId: candidate.id,
        villageId: candidate.village_id,
        detail: { via: "kiosk-pin", kioskId: String(kioskId) },
      },
    );
    return ok(t);
  });
  if (!signedIn.ok) return signedIn;
  return ok({ token: signedIn.value, user: findUserById(db, candidate.id)! });
}
