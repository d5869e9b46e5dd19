import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { Id, IdOut, idParams } from "../http/schemas.ts";
import { immediate } from "../db/open.ts";
import { recordAudit } from "../audit/audit.ts";
import { SECOND_MS } from "../shared/clock.ts";
import { STAFF_ROLES } from "./principal.ts";
import { createSession, deleteSession, forgetPrincipals, SESSION_COOKIE, SESSION_IDLE_MS } from "./sessions.ts";
import { loginBlockedForMs, recordLoginFailure } from "./login-throttle.ts";
import {
  findUserById,
  findUserForLogin,
  hashPassword,
  insertUser,
  listUsers,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  usernameTaken,
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
});

const Username = z.string().trim().min(2).max(40).regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only");
const Password = z.string().min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`);

const LoginBody = z.strictObject({ username: z.string().min(1).max(40), password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
const CreateUserBody = z
  .strictObject({
    username: Username,
    password: Password,
    role: z.enum(STAFF_ROLES),
    villageId: Id.optional(),
    displayName: z.string().trim().min(1).max(40).optional(),
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
      const blockedMs = loginBlockedForMs(db, body.username, address, nowMs);
      if (blockedMs > 0) {
        throw new ProblemError(429, "rate-limited", "Too many failed sign-ins. Try again later.", undefined, { "retry-after": String(Math.ceil(blockedMs / SECOND_MS)) });
      }
      const user = findUserForLogin(db, body.username);
      const valid = await Bun.password.verify(body.password, user?.password_hash ?? DUMMY_HASH);
      if (!user || !valid || user.disabled === 1) {
        immediate(db, () => recordLoginFailure(db, body.username, address, nowMs));
        throw new ProblemError(401, "unauthenticated", "The username or password is wrong.");
      }
      const token = immediate(db, () => {
        const t = createSession(db, user.id, nowMs);
        recordAudit(db, { ...audit, actorKind: "user", actorId: String(user.id) }, { action: "login", entity: "user", entityId: user.id, villageId: user.village_id });
        return t;
      });
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: "Lax", secure: secureCookie, path: "/", maxAge: SESSION_IDLE_MS / SECOND_MS });
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
      summary: "The signed-in staff member",
      tag: "auth",
      access: { roles: ["township_admin", "village_admin", "clerk"], village: "own" },
      responses: { 200: { description: "The user", schema: z.object({ user: UserSchema }) } },
    },
    ({ c, db, principal }) => {
      if (principal?.kind !== "user") throw new ProblemError(401, "unauthenticated", "Sign in first.");
      const user = findUserById(db, principal.userId);
      if (!user) throw new ProblemError(401, "unauthenticated", "Sign in first.");
      return c.json({ user: userOut(user) });
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
        throw new ProblemError(403, "forbidden", "A village administrator may create clerks only.");
      }
      const passwordHash = hashPassword(body.password);
      const id = immediate(db, () => {
        if (body.villageId !== undefined && db.query("SELECT 1 FROM villages WHERE id = ?").get(body.villageId) === null) {
          throw new ProblemError(404, "not-found", "No such village.");
        }
        if (usernameTaken(db, body.username)) throw new ProblemError(409, "conflict", `The username ${body.username} is taken.`);
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
      summary: "List staff accounts (a village admin sees their village's)",
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
      if (principal?.kind === "user" && principal.userId === params.id) throw new ProblemError(409, "conflict", "You cannot disable your own account.");
      immediate(db, () => {
        const target = findUserById(db, params.id);
        if (!target) throw new ProblemError(404, "not-found", "No such user.");
        if (principal?.kind === "user" && principal.role === "village_admin" && target.role !== "clerk") throw new ProblemError(403, "forbidden", "A village administrator may disable clerks only.");
        db.query("UPDATE users SET disabled = 1 WHERE id = ?").run(params.id);
        db.query("DELETE FROM sessions WHERE user_id = ?").run(params.id);
        forgetPrincipals(db);
        recordAudit(db, audit, { action: "disable", entity: "user", entityId: params.id, villageId: target.village_id });
      });
      return c.body(null, 204);
    },
  );
}

function villageOfUser(db: import("bun:sqlite").Database, id: number): number | "township" | null {
  const user = findUserById(db, id);
  if (!user) return null;
  return user.village_id ?? "township";
}
