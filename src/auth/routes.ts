import { deleteCookie, getCookie } from "hono/cookie";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { Id, IdOut, idParams } from "../http/schemas.ts";
import { VisibleName } from "../shared/name.ts";
import { STAFF_ROLES } from "./principal.ts";
import { SESSION_COOKIE } from "./sessions.ts";
import { reserveLoginTry } from "./login-throttle.ts";
import { refuseWhenWaiting, setSessionCookie, signedInStaff, unwrap } from "./http-result.ts";
import { signInWithPassword, signOut } from "./sign-in.ts";
import {
  changeOwnPassword,
  changeStaff,
  createStaff,
  currentStaff,
  disableStaff,
  resetStaffPassword,
} from "./staff.ts";
import {
  findUserById,
  listUsers,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  userOut,
} from "./users.ts";

export const UserSchema = z.object({
  id: IdOut,
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(STAFF_ROLES),
  villageId: IdOut.nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable().describe("the last successful sign-in; null if never"),
});

const Username = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only");
const Password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`);

const DisplayName = VisibleName(40);
const PatchUserBody = z
  .strictObject({
    displayName: DisplayName.nullable().optional(),
    role: z
      .enum(STAFF_ROLES)
      .optional()
      .describe("clerk or village_admin; a township administrator's role does not change"),
    disabled: z.boolean().optional().describe("true ends the user's sessions at once"),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: "send at least one field to change",
    params: { code: "nothing-to-change" },
  });

const LoginBody = z.strictObject({
  username: z.string().min(1).max(40),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
const CreateUserBody = z
  .strictObject({
    username: Username,
    password: Password,
    role: z.enum(STAFF_ROLES),
    villageId: Id.optional(),
    displayName: DisplayName.optional(),
  })
  .refine((u) => (u.role === "township_admin") === (u.villageId === undefined), {
    message: "a township_admin has no villageId; every other role needs one",
    path: ["villageId"],
  });

export function registerAuthRoutes(api: Api, options: { publicUrl: string }): void {
  const secureCookie = options.publicUrl.startsWith("https:");

  api.route(
    {
      method: "post",
      path: "/api/auth/login",
      summary: "Sign in with a username and password",
      tag: "auth",
      access: { public: true },
      body: LoginBody,
      responses: {
        200: {
          description: "Signed in; sets the session cookie",
          schema: z.object({ user: UserSchema }),
        },
      },
    },
    async ({ c, db, body, nowMs, audit }) => {
      // Counted before the slow hash, atomically: a burst of parallel tries gets at most the limit hashed.
      const tried = reserveLoginTry(db, body.username, audit.address, nowMs);
      refuseWhenWaiting(tried, "Too many failed sign-ins. Try again later.");
      const { token, user } = unwrap(
        await signInWithPassword(db, audit, {
          username: body.username,
          password: body.password,
          tried,
          nowMs,
        }),
      );
      setSessionCookie(c, token, secureCookie);
      return c.json({ user: userOut(user) }, 200);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/auth/logout",
      summary: "Sign out: ends the session",
      tag: "auth",
      access: { public: true },
      responses: { 204: { description: "Signed out" } },
    },
    ({ c, db, principal, audit }) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token !== undefined && token.length <= 100) signOut(db, audit, principal, token);
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/me",
      summary: "The signed-in staff member, and whether they have set a kiosk PIN (hasPin)",
      tag: "auth",
      access: { roles: ["township_admin", "village_admin", "clerk"], village: "own" },
      responses: {
        200: {
          description: "The user",
          schema: z.object({ user: UserSchema.extend({ hasPin: z.boolean() }) }),
        },
      },
    },
    ({ c, db, principal }) => {
      const { user, hasPin } = unwrap(currentStaff(db, signedInStaff(principal).userId));
      return c.json({ user: { ...userOut(user), hasPin } });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/users",
      summary: "Create a staff account",
      tag: "auth",
      // A village admin may add staff to their own village; only the township makes admins of it.
      access: {
        roles: ["township_admin", "village_admin"],
        village: ({ body }) => body.villageId ?? "township",
      },
      body: CreateUserBody,
      responses: { 201: { description: "Created", schema: z.object({ user: UserSchema }) } },
    },
    ({ c, db, body, principal, audit }) => {
      const user = unwrap(createStaff(db, audit, principal, body));
      return c.json({ user: userOut(user) }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/users",
      summary:
        "List staff accounts with when each last signed in (a village admin sees their village's)",
      tag: "auth",
      access: { roles: ["township_admin", "village_admin"], village: "own" },
      responses: {
        200: { description: "Users", schema: z.object({ items: z.array(UserSchema) }) },
      },
    },
    ({ c, db, principal }) => {
      const villageId =
        principal?.kind === "user" && principal.role !== "township_admin"
          ? principal.villageId
          : null;
      return c.json({ items: listUsers(db, villageId).map(userOut) });
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/users/:id",
      summary: "Disable a staff account and end its sessions",
      tag: "auth",
      access: {
        roles: ["township_admin", "village_admin"],
        village: ({ params }, db) => villageOfUser(db, params.id),
      },
      params: idParams("id"),
      responses: { 204: { description: "Disabled" } },
    },
    ({ c, db, params, principal, audit }) => {
      unwrap(disableStaff(db, audit, principal, params.id));
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "patch",
      path: "/api/users/:id",
      summary:
        "Change a staff account's display name, role (clerk or village_admin) or disabled flag. A village admin manages their own village's clerks and village admins; nobody changes their own role or disables themselves. Disabling or a role change ends the user's sessions at once.",
      tag: "auth",
      access: {
        roles: ["township_admin", "village_admin"],
        village: ({ params }, db) => villageOfUser(db, params.id),
      },
      params: idParams("id"),
      body: PatchUserBody,
      responses: {
        200: { description: "The account as it is now", schema: z.object({ user: UserSchema }) },
        403: { description: "Not yours to change (codes own-account, township-admin-only)" },
        409: { description: "A role that would need a village or none (code township-role-fixed)" },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const row = unwrap(changeStaff(db, audit, principal!, params.id, body));
      return c.json({ user: userOut(row) });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/users/:id/password",
      summary:
        "Reset another staff member's password (same rules as PATCH /api/users/:id); their sessions end at once",
      tag: "auth",
      access: {
        roles: ["township_admin", "village_admin"],
        village: ({ params }, db) => villageOfUser(db, params.id),
      },
      params: idParams("id"),
      body: z.strictObject({ password: Password }),
      responses: {
        204: { description: "Reset" },
        403: {
          description: "Your own (use /api/me/password; code own-account), or not yours to manage",
        },
      },
    },
    async ({ c, db, params, body, principal, audit }) => {
      unwrap(await resetStaffPassword(db, audit, principal!, params.id, body.password));
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/me/password",
      summary:
        "Change one's own password: the old one is required (a wrong one counts as a failed sign-in: 400 code wrong-password, 429 after too many); every session of the user ends and this browser gets a fresh session cookie",
      tag: "auth",
      access: { roles: ["township_admin", "village_admin", "clerk"], village: "own" },
      body: z.strictObject({
        oldPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
        newPassword: Password,
      }),
      responses: {
        204: { description: "Changed" },
        400: { description: "Malformed, or the old password is wrong (code wrong-password)" },
        429: { description: "Too many wrong passwords" },
      },
    },
    async ({ c, db, body, principal, audit, nowMs }) => {
      const staff = signedInStaff(principal);
      // The old password is a sign-in: counted before its hash, as POST /api/auth/login counts.
      const tried = reserveLoginTry(db, staff.username, audit.address, nowMs);
      refuseWhenWaiting(tried, "Too many wrong passwords. Try again later.");
      const token = unwrap(
        await changeOwnPassword(db, audit, staff, {
          oldPassword: body.oldPassword,
          newPassword: body.newPassword,
          tried,
          nowMs,
        }),
      );
      setSessionCookie(c, token, secureCookie);
      return c.body(null, 204);
    },
  );
}

function villageOfUser(db: import("bun:sqlite").Database, id: number): number | "township" | null {
  const user = findUserById(db, id);
  if (!user) return null;
  return user.village_id ?? "township";
}
