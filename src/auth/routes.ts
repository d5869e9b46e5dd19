import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { Id, IdOut, idParams } from "../http/schemas.ts";
import { VisibleName } from "../shared/name.ts";
import { immediate } from "../db/open.ts";
import { recordAudit } from "../audit/audit.ts";
import { SECOND_MS } from "../shared/clock.ts";
import { STAFF_ROLES, type Principal, type StaffRole } from "./principal.ts";
import { createSession, deleteSession, endSessionsOf, SESSION_COOKIE, SESSION_IDLE_MS } from "./sessions.ts";
import { forgiveTry, reserveLoginTry, type LoginTry } from "./login-throttle.ts";
import { userHasPin } from "./pins.ts";
import {
  findUserById,
  findUserForLogin,
  hashPassword,
  hashPasswordAsync,
  insertUser,
  listUsers,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordHashOf,
  recordSignIn,
  setPasswordHash,
  updateUserRow,
  usernameTaken,
  userOut,
  type UserPatch,
  type UserRow,
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

const Username = z.string().trim().min(2).max(40).regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only");
const Password = z.string().min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`);

const DisplayName = VisibleName(40);
const PatchUserBody = z
  .strictObject({
    displayName: DisplayName.nullable().optional(),
    role: z.enum(STAFF_ROLES).optional().describe("clerk or village_admin; a township administrator's role does not change"),
    disabled: z.boolean().optional().describe("true ends the user's sessions at once"),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "send at least one field to change", params: { code: "nothing-to-change" } });

const LoginBody = z.strictObject({ username: z.string().min(1).max(40), password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
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

/** A hash to verify against when the username is unknown, so both paths take the same time. */
const DUMMY_HASH = hashPassword("not-a-real-password-ever");

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
      responses: { 200: { description: "Signed in; sets the session cookie", schema: z.object({ user: UserSchema }) } },
    },
    async ({ c, db, body, nowMs, audit }) => {
      const address = audit.address;
      // Counted before the slow hash, atomically: a burst of parallel tries gets at most the limit hashed.
      const tried = reserveLoginTry(db, body.username, address, nowMs);
      refuseWhenWaiting(tried, "Too many failed sign-ins. Try again later.");
      const user = findUserForLogin(db, body.username);
      const valid = await Bun.password.verify(body.password, user?.password_hash ?? DUMMY_HASH);
      if (!user || !valid || user.disabled === 1) throw new ProblemError(401, "unauthenticated", "The username or password is wrong.");
      const token = immediate(db, () => {
        forgiveTry(db, tried, body.username, address);
        const t = createSession(db, user.id, nowMs);
        recordSignIn(db, user.id, nowMs);
        recordAudit(db, { ...audit, actorKind: "user", actorId: String(user.id) }, { action: "login", entity: "user", entityId: user.id, villageId: user.village_id });
        return t;
      });
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: "Lax", secure: secureCookie, path: "/", maxAge: SESSION_IDLE_MS / SECOND_MS });
      return c.json({ user: userOut({ ...user, last_sign_in_at_ms: nowMs }) }, 200);
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
      if (token !== undefined && token.length <= 100) {
        immediate(db, () => {
          deleteSession(db, token);
          if (principal?.kind === "user") recordAudit(db, audit, { action: "logout", entity: "user", entityId: principal.userId, villageId: principal.villageId });
        });
      }
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
      responses: { 200: { description: "The user", schema: z.object({ user: UserSchema.extend({ hasPin: z.boolean() }) }) } },
    },
    ({ c, db, principal }) => {
      if (principal?.kind !== "user") throw new ProblemError(401, "unauthenticated", "Sign in first.");
      const user = findUserById(db, principal.userId);
      if (!user) throw new ProblemError(401, "unauthenticated", "Sign in first.");
      return c.json({ user: { ...userOut(user), hasPin: userHasPin(db, user.id) } });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/users",
      summary: "Create a staff account",
      tag: "auth",
      // A village admin may add staff to their own village; only the township makes admins of it.
      access: { roles: ["township_admin", "village_admin"], village: ({ body }) => body.villageId ?? "township" },
      body: CreateUserBody,
      responses: { 201: { description: "Created", schema: z.object({ user: UserSchema }) } },
    },
    ({ c, db, body, principal, audit }) => {
      if (principal?.kind === "user" && principal.role === "village_admin" && body.role !== "clerk") {
        throw new ProblemError(403, "forbidden", "A village administrator may create clerks only.", [{ path: "body.role", message: "a village administrator may create clerks only" }], undefined, { code: "clerks-only", params: {} });
      }
      const passwordHash = hashPassword(body.password);
      const id = immediate(db, () => {
        if (body.villageId !== undefined && db.query("SELECT 1 FROM villages WHERE id = ?").get(body.villageId) === null) {
          throw new ProblemError(404, "not-found", "No such village.");
        }
        if (usernameTaken(db, body.username)) {
          throw new ProblemError(409, "conflict", `The username ${body.username} is taken.`, [{ path: "body.username", message: "taken" }], undefined, { code: "username-taken", params: { username: body.username } });
        }
        const newId = insertUser(db, { username: body.username, displayName: body.displayName ?? null, passwordHash, role: body.role, villageId: body.villageId ?? null, nowMs: audit.nowMs });
        recordAudit(db, audit, { action: "create", entity: "user", entityId: newId, villageId: body.villageId ?? null, detail: { username: body.username, role: body.role } });
        return newId;
      });
      return c.json({ user: userOut(findUserById(db, id)!) }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/users",
      summary: "List staff accounts with when each last signed in (a village admin sees their village's)",
      tag: "auth",
      access: { roles: ["township_admin", "village_admin"], village: "own" },
      responses: { 200: { description: "Users", schema: z.object({ items: z.array(UserSchema) }) } },
    },
    ({ c, db, principal }) => {
      const villageId = principal?.kind === "user" && principal.role !== "township_admin" ? principal.villageId : null;
      return c.json({ items: listUsers(db, villageId).map(userOut) });
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/users/:id",
      summary: "Disable a staff account and end its sessions",
      tag: "auth",
      access: { roles: ["township_admin", "village_admin"], village: ({ params }, db) => villageOfUser(db, params.id) },
      params: idParams("id"),
      responses: { 204: { description: "Disabled" } },
    },
    ({ c, db, params, principal, audit }) => {
      if (principal?.kind === "user" && principal.userId === params.id) throw new ProblemError(409, "conflict", "You cannot disable your own account.", undefined, undefined, { code: "own-account", params: {} });
      immediate(db, () => {
        const target = findUserById(db, params.id);
        if (!target) throw new ProblemError(404, "not-found", "No such user.");
        if (principal?.kind === "user" && principal.role === "village_admin" && target.role !== "clerk") {
          throw new ProblemError(403, "forbidden", "A village administrator may disable clerks only here; use PATCH /api/users/:id.", undefined, undefined, { code: "clerks-only", params: {} });
        }
        db.query("UPDATE users SET disabled = 1 WHERE id = ?").run(params.id);
        endSessionsOf(db, params.id);
        recordAudit(db, audit, { action: "disable", entity: "user", entityId: params.id, villageId: target.village_id });
      });
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
      access: { roles: ["township_admin", "village_admin"], village: ({ params }, db) => villageOfUser(db, params.id) },
      params: idParams("id"),
      body: PatchUserBody,
      responses: {
        200: { description: "The account as it is now", schema: z.object({ user: UserSchema }) },
        403: { description: "Not yours to change (codes own-account, township-admin-only)" },
        409: { description: "A role that would need a village or none (code township-role-fixed)" },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      const row = immediate(db, () => {
        const target = findUserById(db, params.id);
        if (!target) throw new ProblemError(404, "not-found", "No such user.");
        refuseStaffChange(principal!, target, body);
        const patch: UserPatch = {};
        if (body.displayName !== undefined) patch.displayName = body.displayName;
        if (body.role !== undefined) patch.role = body.role;
        if (body.disabled !== undefined) patch.disabled = body.disabled;
        const changed = updateUserRow(db, target.id, target, patch);
        if (changed["role"] !== undefined || body.disabled === true) endSessionsOf(db, target.id);
        const action = changed["disabled"] === undefined ? "update" : body.disabled === true ? "disable" : "enable";
        recordAudit(db, audit, { action, entity: "user", entityId: target.id, villageId: target.village_id, detail: { username: target.username, changed } });
        return findUserById(db, target.id)!;
      });
      return c.json({ user: userOut(row) });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/users/:id/password",
      summary: "Reset another staff member's password (same rules as PATCH /api/users/:id); their sessions end at once",
      tag: "auth",
      access: { roles: ["township_admin", "village_admin"], village: ({ params }, db) => villageOfUser(db, params.id) },
      params: idParams("id"),
      body: z.strictObject({ password: Password }),
      responses: { 204: { description: "Reset" }, 403: { description: "Your own (use /api/me/password; code own-account), or not yours to manage" } },
    },
    async ({ c, db, params, body, principal, audit }) => {
      const first = findUserById(db, params.id);
      if (!first) throw new ProblemError(404, "not-found", "No such user.");
      refuseStaffChange(principal!, first, { password: true });
      const passwordHash = await hashPasswordAsync(body.password);
      immediate(db, () => {
        const target = findUserById(db, params.id);
        if (!target) throw new ProblemError(404, "not-found", "No such user.");
        refuseStaffChange(principal!, target, { password: true });
        setPasswordHash(db, target.id, passwordHash);
        endSessionsOf(db, target.id);
        recordAudit(db, audit, { action: "reset_password", entity: "user", entityId: target.id, villageId: target.village_id, detail: { username: target.username } });
      });
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/me/password",
      summary: "Change one's own password: the old one is required (a wrong one counts as a failed sign-in: 400 code wrong-password, 429 after too many); every session of the user ends and this browser gets a fresh session cookie",
      tag: "auth",
      access: { roles: ["township_admin", "village_admin", "clerk"], village: "own" },
      body: z.strictObject({ oldPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH), newPassword: Password }),
      responses: { 204: { description: "Changed" }, 400: { description: "Malformed, or the old password is wrong (code wrong-password)" }, 429: { description: "Too many wrong passwords" } },
    },
    async ({ c, db, body, principal, audit, nowMs }) => {
      if (principal?.kind !== "user") throw new ProblemError(401, "unauthenticated", "Sign in first.");
      const address = audit.address;
      // The old password is a sign-in: counted before its hash, as POST /api/auth/login counts.
      const tried = reserveLoginTry(db, principal.username, address, nowMs);
      refuseWhenWaiting(tried, "Too many wrong passwords. Try again later.");
      const stored = passwordHashOf(db, principal.userId);
      if (stored === null) throw new ProblemError(401, "unauthenticated", "Sign in first.");
      if (!(await Bun.password.verify(body.oldPassword, stored))) {
        throw new ProblemError(400, "validation", "The old password is wrong.", [{ path: "body.oldPassword", message: "wrong password" }], undefined, { code: "wrong-password", params: {} });
      }
      const passwordHash = await hashPasswordAsync(body.newPassword);
      // Every session of the user ends, this one too: the browser that changed the password gets a
      // fresh session, so a copy of its old cookie (the reason one changes a password) is worthless.
      const token = immediate(db, () => {
        forgiveTry(db, tried, principal.username, address);
        setPasswordHash(db, principal.userId, passwordHash);
        endSessionsOf(db, principal.userId);
        recordAudit(db, audit, { action: "change_password", entity: "user", entityId: principal.userId, villageId: principal.villageId, detail: { username: principal.username } });
        return createSession(db, principal.userId, nowMs);
      });
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: "Lax", secure: secureCookie, path: "/", maxAge: SESSION_IDLE_MS / SECOND_MS });
      return c.body(null, 204);
    },
  );
}

/** A try refused before any password was hashed: 429 with Retry-After. */
function refuseWhenWaiting(tried: LoginTry, detail: string): asserts tried is { id: number } {
  if ("waitMs" in tried) throw new ProblemError(429, "rate-limited", detail, undefined, { "retry-after": String(Math.ceil(tried.waitMs / SECOND_MS)) });
}

/**
 * Who may change whom, beyond the tenancy check (which already keeps a village admin to their own
 * village and away from township administrators): nobody changes their own role, disables
 * themselves or resets their own password here; no role becomes or stops being township_admin,
 * since that would need a village taken away or given.
 */
function refuseStaffChange(actor: Principal, target: UserRow, change: { role?: StaffRole | undefined; disabled?: boolean | undefined; password?: true }): void {
  if (actor.kind !== "user") throw new ProblemError(403, "forbidden", "Staff only.");
  if (actor.role !== "township_admin" && (target.role === "township_admin" || target.village_id !== actor.villageId)) {
    throw new ProblemError(403, "forbidden", "A village administrator manages their own village's staff only.", undefined, undefined, { code: "township-admin-only", params: {} });
  }
  if (target.id === actor.userId) {
    if (change.password === true) throw new ProblemError(403, "forbidden", "Change your own password with POST /api/me/password.", undefined, undefined, { code: "own-account", params: {} });
    if (change.role !== undefined && change.role !== target.role) throw new ProblemError(403, "forbidden", "You cannot change your own role.", [{ path: "body.role", message: "not your own" }], undefined, { code: "own-account", params: {} });
    if (change.disabled === true) throw new ProblemError(403, "forbidden", "You cannot disable your own account.", [{ path: "body.disabled", message: "not your own" }], undefined, { code: "own-account", params: {} });
  }
  if (change.role !== undefined && (change.role === "township_admin") !== (target.role === "township_admin")) {
    throw new ProblemError(409, "conflict", "A role cannot become or stop being township_admin: a township administrator has no village.", [{ path: "body.role", message: "clerk or village_admin" }], undefined, { code: "township-role-fixed", params: {} });
  }
}

function villageOfUser(db: import("bun:sqlite").Database, id: number): number | "township" | null {
  const user = findUserById(db, id);
  if (!user) return null;
  return user.village_id ?? "township";
}
