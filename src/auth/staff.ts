/**
 * Staff accounts as use cases: creating one, disabling it, changing its name, role or flag,
 * resetting another's password and changing one's own. Each write runs in one IMMEDIATE
 * transaction with its audit row; a password is hashed before that transaction, never inside it
 * (the slow hash would hold the write lock), so what was checked before the hash is checked again
 * inside. Refusals are values (src/auth/refusal.ts); the routes are src/auth/routes.ts.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { ok } from "../shared/result.ts";
import { villageExists } from "../villages/village-store.ts";
import type { Principal, StaffRole } from "./principal.ts";
import { createSession, endSessionsOf } from "./sessions.ts";
import { forgiveTry } from "./login-throttle.ts";
import { userHasPin } from "./pins.ts";
import { refusal, type AuthFailure, type AuthResult } from "./refusal.ts";
import {
  disableUser,
  findUserById,
  hashPassword,
  hashPasswordAsync,
  insertUser,
  passwordHashOf,
  setPasswordHash,
  updateUserRow,
  usernameTaken,
  type UserPatch,
  type UserRow,
} from "./users.ts";

type Staff = Extract<Principal, { kind: "user" }>;

/** The signed-in staff member's account, and whether they have set a kiosk PIN. */
export function currentStaff(
  db: Database,
  userId: number,
): AuthResult<{ user: UserRow; hasPin: boolean }> {
  const user = findUserById(db, userId);
  if (!user) return refusal("unauthenticated", "Sign in first.");
  return ok({ user, hasPin: userHasPin(db, user.id) });
}

export type NewStaff = {
  username: string;
  password: string;
  role: StaffRole;
  villageId?: number | undefined;
  displayName?: string | undefined;
};

/** Creates a staff account; a village administrator creates clerks only. */
export function createStaff(
  db: Database,
  audit: AuditContext,
  actor: Principal | null,
  input: NewStaff,
): AuthResult<UserRow> {
  if (actor?.kind === "user" && actor.role === "village_admin" && input.role !== "clerk") {
    return refusal("forbidden", "A village administrator may create clerks only.", {
      errors: [{ path: "body.role", message: "a village administrator may create clerks only" }],
      code: "clerks-only",
    });
  }
  const passwordHash = hashPassword(input.password);
  const created = immediate(db, (): AuthResult<number> => {
    if (input.villageId !== undefined && villageExists(db, input.villageId) === null)
      return refusal("not-found", "No such village.");
    if (usernameTaken(db, input.username)) {
      return refusal("conflict", `The username ${input.username} is taken.`, {
        errors: [{ path: "body.username", message: "taken" }],
        code: "username-taken",
        params: { username: input.username },
      });
    }
    const newId = insertUser(db, {
      username: input.username,
      displayName: input.displayName ?? null,
      passwordHash,
      role: input.role,
      villageId: input.villageId ?? null,
      nowMs: audit.nowMs,
    });
    recordAudit(db, audit, {
      action: "create",
      entity: "user",
      entityId: newId,
      villageId: input.villageId ?? null,
      detail: { username: input.username, role: input.role },
    });
    return ok(newId);
  });
  if (!created.ok) return created;
  return ok(findUserById(db, created.value)!);
}

/** Disables a staff account and ends its sessions; a village administrator disables clerks only here. */
export function disableStaff(
  db: Database,
  audit: AuditContext,
  actor: Principal | null,
  userId: number,
): AuthResult<null> {
  if (actor?.kind === "user" && actor.userId === userId)
    return refusal("conflict", "You cannot disable your own account.", { code: "own-account" });
  return immediate(db, (): AuthResult<null> => {
    const target = findUserById(db, userId);
    if (!target) return refusal("not-found", "No such user.");
    if (actor?.kind === "user" && actor.role === "village_admin" && target.role !== "clerk") {
      return refusal(
        "forbidden",
        "A village administrator may disable clerks only here; use PATCH /api/users/:id.",
        { code: "clerks-only" },
      );
    }
    disableUser(db, userId);
    endSessionsOf(db, userId);
    recordAudit(db, audit, {
      action: "disable",
      entity: "user",
      entityId: userId,
      villageId: target.village_id,
    });
    return ok(null);
  });
}

export type StaffChange = {
  displayName?: string | null | undefined;
  role?: StaffRole | undefined;
  disabled?: boolean | undefined;
};

/** Changes a staff account's display name, role or disabled flag; disabling or a new role ends its sessions. */
export function changeStaff(
  db: Database,
  audit: AuditContext,
  actor: Principal,
  userId: number,
  change: StaffChange,
): AuthResult<UserRow> {
  return immediate(db, (): AuthResult<UserRow> => {
    const target = findUserById(db, userId);
    if (!target) return refusal("not-found", "No such user.");
    const refused = staffChangeRefusal(actor, target, change);
    if (refused !== null) return refused;
    const patch: UserPatch = {};
    if (change.displayName !== undefined) patch.displayName = change.displayName;
    if (change.role !== undefined) patch.role = change.role;
    if (change.disabled !== undefined) patch.disabled = change.disabled;
    const changed = updateUserRow(db, target.id, target, patch);
    if (changed["role"] !== undefined || change.disabled === true) endSessionsOf(db, target.id);
    const action =
      changed["disabled"] === undefined
        ? "update"
        : change.disabled === true
          ? "disable"
          : "enable";
    recordAudit(db, audit, {
      action,
      entity: "user",
      entityId: target.id,
      villageId: target.village_id,
      detail: { username: target.username, changed },
    });
    return ok(findUserById(db, target.id)!);
  });
}

/** Resets another staff member's password (the rules of changeStaff); their sessions end at once. */
export async function resetStaffPassword(
  db: Database,
  audit: AuditContext,
  actor: Principal,
  userId: number,
  password: string,
): Promise<AuthResult<null>> {
  const first = findUserById(db, userId);
  if (!first) return refusal("not-found", "No such user.");
  const refusedFirst = staffChangeRefusal(actor, first, { password: true });
  if (refusedFirst !== null) return refusedFirst;
  const passwordHash = await hashPasswordAsync(password);
  return immediate(db, (): AuthResult<null> => {
    const target = findUserById(db, userId);
    if (!target) return refusal("not-found", "No such user.");
    const refused = staffChangeRefusal(actor, target, { password: true });
    if (refused !== null) return refused;
    setPasswordHash(db, target.id, passwordHash);
    endSessionsOf(db, target.id);
    recordAudit(db, audit, {
      action: "reset_password",
      entity: "user",
      entityId: target.id,
      villageId: target.village_id,
      detail: { username: target.username },
    });
    return ok(null);
  });
}

export type OwnPasswordChange = {
  oldPassword: string;
  newPassword: string;
  tried: { id: number };
  nowMs: number;
};

/**
 * Changes one's own password, the old one required; `tried` is the sign-in try the caller
 * reserved for the old password, forgiven when it is right. Every session of the user ends, this
 * one too: the answer is a fresh session token, so a copy of the old cookie (the reason one
 * changes a password) is worthless.
 */
export async function changeOwnPassword(
  db: Database,
  audit: AuditContext,
  staff: Staff,
  change: OwnPasswordChange,
): Promise<AuthResult<string>> {
  const stored = passwordHashOf(db, staff.userId);
  if (stored === null) return refusal("unauthenticated", "Sign in first.");
  if (!(await Bun.password.verify(change.oldPassword, stored))) {
    return refusal("validation", "The old password is wrong.", {
      errors: [{ path: "body.oldPassword", message: "wrong password" }],
      code: "wrong-password",
    });
  }
  const passwordHash = await hashPasswordAsync(change.newPassword);
  const token = immediate(db, () => {
    forgiveTry(db, change.tried, staff.username, audit.address);
    setPasswordHash(db, staff.userId, passwordHash);
    endSessionsOf(db, staff.userId);
    recordAudit(db, audit, {
      action: "change_password",
      entity: "user",
      entityId: staff.userId,
      villageId: staff.villageId,
      detail: { username: staff.username },
    });
    return createSession(db, staff.userId, change.nowMs);
  });
  return ok(token);
}

/**
 * Who may change whom, beyond the tenancy check (which already keeps a village admin to their own
 * village and away from township administrators): nobody changes their own role, disables
 * themselves or resets their own password here; no role becomes or stops being township_admin,
 * since that would need a village taken away or given. Null when the change is allowed.
 */
function staffChangeRefusal(
  actor: Principal,
  target: UserRow,
  change: { role?: StaffRole | undefined; disabled?: boolean | undefined; password?: true },
): AuthFailure | null {
  if (actor.kind !== "user") return refusal("forbidden", "Staff only.");
  if (
    actor.role !== "township_admin" &&
    (target.role === "township_admin" || target.village_id !== actor.villageId)
  ) {
    return refusal("forbidden", "A village administrator manages their own village's staff only.", {
      code: "township-admin-only",
    });
  }
  if (target.id === actor.userId) {
    if (change.password === true)
      return refusal("forbidden", "Change your own password with POST /api/me/password.", {
        code: "own-account",
      });
    if (change.role !== undefined && change.role !== target.role)
      return refusal("forbidden", "You cannot change your own role.", {
        errors: [{ path: "body.role", message: "not your own" }],
        code: "own-account",
      });
    if (change.disabled === true)
      return refusal("forbidden", "You cannot disable your own account.", {
        errors: [{ path: "body.disabled", message: "not your own" }],
        code: "own-account",
      });
  }
  if (
    change.role !== undefined &&
    (change.role === "township_admin") !== (target.role === "township_admin")
  ) {
    return refusal(
      "conflict",
      "A role cannot become or stop being township_admin: a township administrator has no village.",
      {
        errors: [{ path: "body.role", message: "clerk or village_admin" }],
        code: "township-role-fixed",
      },
    );
  }
  return null;
}
