/**
 * Staff sign-in on the kiosk without a keyboard: a staff member sets a PIN of 4 to 6 digits on
 * the staff pages (their current password required), the kiosk lists its village's staff who
 * have one, and a tap on a name and the PIN on the on-screen keypad open a staff session, the
 * same session cookie as a password sign-in. A PIN is short, so it is stored as an argon2id hash
 * like a password and its tries are limited per staff member and per kiosk, counted before the
 * slow hash (as src/auth/login-throttle.ts counts passwords).
 */
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { Id, IdOut } from "../http/schemas.ts";
import { reserveLoginTry } from "./login-throttle.ts";
import { PASSWORD_MAX_LENGTH, userOut } from "./users.ts";
import { UserSchema } from "./routes.ts";
import {
  pairedKiosk,
  refuseWhenWaiting,
  setSessionCookie,
  signedInStaff,
  unwrap,
} from "./http-result.ts";
import { signInWithPin } from "./sign-in.ts";
import {
  acceptablePin,
  clearOwnPin,
  PIN_LENGTH_MAX,
  PIN_LENGTH_MIN,
  pinCandidate,
  reservePinTry,
  setOwnPin,
  staffWithPins,
} from "./pins.ts";

const Pin = z
  .string()
  .regex(
    new RegExp(`^[0-9]{${PIN_LENGTH_MIN},${PIN_LENGTH_MAX}}$`),
    `${PIN_LENGTH_MIN} to ${PIN_LENGTH_MAX} digits`,
  );

export const KioskStaffSchema = z.object({
  id: IdOut,
  displayName: z.string().describe("the display name, or the username where there is none"),
});

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
        400: {
          description:
            "Malformed, too simple (code pin-too-simple), or the password is wrong (code wrong-password)",
        },
        429: { description: "Too many wrong passwords" },
      },
    },
    async ({ c, db, body, principal, audit, nowMs }) => {
      const staff = signedInStaff(principal);
      unwrap(acceptablePin(body.pin));
      // The password is a sign-in: counted before its hash, as POST /api/auth/login counts.
      const tried = reserveLoginTry(db, staff.username, audit.address, nowMs);
      refuseWhenWaiting(tried, "Too many wrong passwords. Try again later.");
      unwrap(await setOwnPin(db, audit, staff, { pin: body.pin, password: body.password, tried }));
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
      clearOwnPin(db, audit, signedInStaff(principal));
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/kiosk/staff",
      summary:
        "The paired kiosk's village's active staff who have set a PIN, by name, for the kiosk's sign-in list",
      tag: "kiosk",
      access: { roles: ["kiosk"], village: "own" },
      responses: {
        200: {
          description: "Staff to tap",
          schema: z.object({ items: z.array(KioskStaffSchema) }),
        },
      },
    },
    ({ c, db, principal }) => {
      const rows = staffWithPins(db, pairedKiosk(principal).villageId);
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
        200: {
          description: "Signed in; sets the session cookie",
          schema: z.object({ user: UserSchema }),
        },
        401: {
          description:
            "Wrong PIN, or no such staff member with a PIN at this kiosk's village (code wrong-pin)",
        },
        429: { description: "Too many wrong PINs for this staff member or at this kiosk" },
      },
    },
    async ({ c, db, body, principal, audit, nowMs }) => {
      const { kioskId, villageId } = pairedKiosk(principal);
      const candidate = pinCandidate(db, body.userId, villageId);
      const tried = reservePinTry(db, candidate?.id ?? null, kioskId, nowMs);
      refuseWhenWaiting(tried, "Too many wrong PINs. Try again later.");
      const { token, user } = unwrap(
        await signInWithPin(db, audit, {
          userId: body.userId,
          pin: body.pin,
          kioskId,
          villageId,
          candidate,
          tried,
          nowMs,
        }),
      );
      setSessionCookie(c, token, secureCookie);
      return c.json({ user: userOut(user) }, 200);
    },
  );
}
