/**
 * Staff sign-in on the kiosk without a keyboard: a staff member sets a PIN of 4 to 6 digits on
 * the staff pages (their current password required), the kiosk lists its village's staff who
 * have one, and a tap on a name and the PIN on the on-screen keypad open a staff session, the
 * same session cookie as a password sign-in. A PIN is short, so it is stored as an argon2id hash
 * like a password and its tries are limited per staff member and per kiosk, counted before the
 * slow hash (as src/auth/login-throttle.ts counts passwords).
 */
import { setCookie } from "hono/cookie";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { Id, IdOut } from "../http/schemas.ts";
import { immediate } from "../db/open.ts";
import { recordAudit } from "../audit/audit.ts";
import { SECOND_MS } from "../shared/clock.ts";
import { createSession, SESSION_COOKIE, SESSION_IDLE_MS } from "./sessions.ts";
import { forgiveTry, reserveLoginTry } from "./login-throttle.ts";
import { findUserById, hashPasswordAsync, PASSWORD_MAX_LENGTH, passwordHashOf, recordSignIn, userOut } from "./users.ts";
import { UserSchema } from "./routes.ts";
import { PIN_LENGTH_MAX, PIN_LENGTH_MIN, pinTooSimple, reservePinTry, userHasPin, type PinTry } from "./pins.ts";

const Pin = z.string().regex(new RegExp(`^[0-9]{${PIN_LENGTH_MIN},${PIN_LENGTH_MAX}}$`), `${PIN_LENGTH_MIN} to ${PIN_LENGTH_MAX} digits`);

export const KioskStaffSchema = z.object({ id: IdOut, displayName: z.string().describe("the display name, or the username where there is none") });

function refuseWhenWaiting(tried: PinTry, detail: string): asserts tried is { id: number | null } {
  if ("waitMs" in tried) throw new ProblemError(429, "rate-limited", detail, undefined, { "retry-after": String(Math.ceil(tried.waitMs / SECOND_MS)) });
}

type Candidate = { id: number; village_id: number; pin_hash: string };

/** A hash to verify against when no one could match, so every refusal takes the same time. */
let dummyPinHash: Promise<string> | null = null;

export function registerPinRoutes(api: Api, options: { publicUrl: string }): void {
  const secureCookie = options.publicUrl.startsWith("https:");

  api.route(
    {
      method: "put",
      path: "/api/me/pin",
      summary:
        "Set or change one's own kiosk PIN (4-6 digits; one digit repeated or a straight run such as 1234 is refused, code pin-too-simple). The current password is required: a wrong one counts as a failed sign-in (400 code wrong-password, 429 after too many)",
      tag: "auth",
      access: { roles: ["township_admin", "village_admin", "clerk"], village: "own" },
      body: z.strictObject({ pin: Pin, password: z.string().min(1).max(PASSWORD_MAX_LENGTH) }),
      responses: {
        204: { description: "Set; the staff member is listed on their village's kiosks" },
        400: { description: "Malformed, too simple (code pin-too-simple), or the password is wrong (code wrong-password)" },
        429: { description: "Too many wrong passwords" },
      },
    },
    async ({ c, db, body, principal, audit, nowMs }) => {
      if (principal?.kind !== "user") throw new ProblemError(401, "unauthenticated", "Sign in first.");
      if (pinTooSimple(body.pin)) {
        throw new ProblemError(400, "validation", "This PIN is too easy to guess.", [{ path: "body.pin", message: "too simple" }], undefined, { code: "pin-too-simple", params: {} });
      }
      const address = audit.address;
      const tried = reserveLoginTry(db, principal.username, address, nowMs);
      if ("waitMs" in tried) throw new ProblemError(429, "rate-limited", "Too many wrong passwords. Try again later.", undefined, { "retry-after": String(Math.ceil(tried.waitMs / SECOND_MS)) });
      const stored = passwordHashOf(db, principal.userId);
      if (stored === null) throw new ProblemError(401, "unauthenticated", "Sign in first.");
      if (!(await Bun.password.verify(body.password, stored))) {
        throw new ProblemError(400, "validation", "The password is wrong.", [{ path: "body.password", message: "wrong password" }], undefined, { code: "wrong-password", params: {} });
      }
      const pinHash = await hashPasswordAsync(body.pin);
      immediate(db, () => {
        forgiveTry(db, tried, principal.username, address);
        const had = userHasPin(db, principal.userId);
        db.query("UPDATE users SET pin_hash = ? WHERE id = ?").run(pinHash, principal.userId);
        // A new PIN starts with a clean count.
        db.query("DELETE FROM pin_failures WHERE user_id = ?").run(principal.userId);
        recordAudit(db, audit, { action: had ? "change_pin" : "set_pin", entity: "user", entityId: principal.userId, villageId: principal.villageId, detail: { username: principal.username } });
      });
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/me/pin",
      summary: "Clear one's own kiosk PIN: one is then no longer listed on the kiosk",
      tag: "auth",
      access: { roles: ["township_admin", "village_admin", "clerk"], village: "own" },
      responses: { 204: { description: "Cleared (also when there was none)" } },
    },
    ({ c, db, principal, audit }) => {
      if (principal?.kind !== "user") throw new ProblemError(401, "unauthenticated", "Sign in first.");
      immediate(db, () => {
        if (!userHasPin(db, principal.userId)) return;
        db.query("UPDATE users SET pin_hash = NULL WHERE id = ?").run(principal.userId);
        recordAudit(db, audit, { action: "clear_pin", entity: "user", entityId: principal.userId, villageId: principal.villageId, detail: { username: principal.username } });
      });
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/kiosk/staff",
      summary: "The paired kiosk's village's active staff who have set a PIN, by name, for the kiosk's sign-in list",
      tag: "kiosk",
      access: { roles: ["kiosk"], village: "own" },
      responses: { 200: { description: "Staff to tap", schema: z.object({ items: z.array(KioskStaffSchema) }) } },
    },
    ({ c, db, principal }) => {
      if (principal?.kind !== "kiosk") throw new ProblemError(401, "unauthenticated", "Only a paired kiosk may ask this.");
      const rows = db
        .query<{ id: number; name: string }, [number]>(
          "SELECT id, coalesce(display_name, username) AS name FROM users WHERE village_id = ? AND disabled = 0 AND pin_hash IS NOT NULL ORDER BY name COLLATE NOCASE, id",
        )
        .all(principal.villageId);
      return c.json({ items: rows.map((r) => ({ id: String(r.id), displayName: r.name })) });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/kiosk/staff-login",
      summary:
        "Sign a staff member of the kiosk's village in with their PIN (device token): sets the staff session cookie as POST /api/auth/login does. Tries are limited per staff member and per kiosk (429 with Retry-After)",
      tag: "kiosk",
      access: { roles: ["kiosk"], village: "own" },
      body: z.strictObject({ userId: Id, pin: Pin }),
      responses: {
        200: { description: "Signed in; sets the session cookie", schema: z.object({ user: UserSchema }) },
        401: { description: "Wrong PIN, or no such staff member with a PIN at this kiosk's village (code wrong-pin)" },
        429: { description: "Too many wrong PINs for this staff member or at this kiosk" },
      },
    },
    async ({ c, db, body, principal, audit, nowMs }) => {
      if (principal?.kind !== "kiosk") throw new ProblemError(401, "unauthenticated", "Only a paired kiosk may ask this.");
      const kioskId = principal.kioskId;
      const candidateOf = () =>
        db.query<Candidate, [number, number]>("SELECT id, village_id, pin_hash FROM users WHERE id = ? AND village_id = ? AND disabled = 0 AND pin_hash IS NOT NULL").get(body.userId, principal.villageId);
      const candidate = candidateOf();
      const tried = reservePinTry(db, candidate?.id ?? null, kioskId, nowMs);
      refuseWhenWaiting(tried, "Too many wrong PINs. Try again later.");
      dummyPinHash ??= hashPasswordAsync("not-a-pin");
      const valid = await Bun.password.verify(body.pin, candidate?.pin_hash ?? (await dummyPinHash));
      const wrong = () => new ProblemError(401, "unauthenticated", "The PIN is wrong.", undefined, undefined, { code: "wrong-pin", params: {} });
      if (candidate === null || !valid) throw wrong();
      const token = immediate(db, () => {
        // Disabled, or the PIN changed, while the hash was checked: no sign-in.
        if (candidateOf()?.pin_hash !== candidate.pin_hash) throw wrong();
        if (tried.id !== null) db.query("DELETE FROM pin_failures WHERE rowid = ? OR (user_id = ? AND kiosk_id = ?)").run(tried.id, candidate.id, kioskId);
        const t = createSession(db, candidate.id, nowMs);
        recordSignIn(db, candidate.id, nowMs);
        recordAudit(db, { ...audit, actorKind: "user", actorId: String(candidate.id) }, { action: "login", entity: "user", entityId: candidate.id, villageId: candidate.village_id, detail: { via: "kiosk-pin", kioskId: String(kioskId) } });
        return t;
      });
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: "Lax", secure: secureCookie, path: "/", maxAge: SESSION_IDLE_MS / SECOND_MS });
      return c.json({ user: userOut(findUserById(db, candidate.id)!) }, 200);
    },
  );
}
