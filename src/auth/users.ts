import type { Database } from "bun:sqlite";
import type { StaffRole } from "./principal.ts";

export type UserRow = {
  id: number;
  username: string;
  display_name: string | null;
  role: StaffRole;
  village_id: number | null;
  disabled: number;
  created_at_ms: number;
  last_sign_in_at_ms: number | null;
};

export type UserOut = {
  id: string;
  username: string;
  displayName: string | null;
  role: StaffRole;
  villageId: string | null;
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
};

export function userOut(row: UserRow): UserOut {
  return {
    id: String(row.id),
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    villageId: row.village_id === null ? null : String(row.village_id),
    disabled: row.disabled === 1,
    createdAt: new Date(row.created_at_ms).toISOString(),
    lastSignInAt:
      row.last_sign_in_at_ms === null ? null : new Date(row.last_sign_in_at_ms).toISOString(),
  };
}

const USER_COLUMNS =
  "id, username, display_name, role, village_id, disabled, created_at_ms, last_sign_in_at_ms";

export function findUserById(db: Database, id: number): UserRow | null {
  return db.query<UserRow, [number]>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id);
}

export function findUserForLogin(
  db: Database,
  username: string,
): (UserRow & { password_hash: string }) | null {
  return db
    .query<UserRow & { password_hash: string }, [string]>(
      `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE username = ?`,
    )
    .get(username);
}

export function listUsers(db: Database, villageId: number | null): UserRow[] {
  return villageId === null
    ? db.query<UserRow, []>(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`).all()
    : db
        .query<UserRow, [number]>(
          `SELECT ${USER_COLUMNS} FROM users WHERE village_id = ? ORDER BY id`,
        )
        .all(villageId);
}

export function insertUser(
  db: Database,
  user: {
    username: string;
    displayName: string | null;
    passwordHash: string;
    role: StaffRole;
    villageId: number | null;
    nowMs: number;
  },
): number {
  const row = db
    .query<{ id: number }, [string, string | null, string, StaffRole, number | null, number]>(
      "INSERT INTO users (username, display_name, password_hash, role, village_id, created_at_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .get(user.username, user.displayName, user.passwordHash, user.role, user.villageId, user.nowMs);
  return row!.id;
}

export function usernameTaken(db: Database, username: string): boolean {
  return db.query("SELECT 1 FROM users WHERE username = ?").get(username) !== null;
}

export function countUsers(db: Database): number {
  return db.query<{ n: number }, []>("SELECT count(*) AS n FROM users").get()!.n;
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** argon2id cost: Bun's defaults (64 MiB, 2 passes) in production. */
export type PasswordCost = { memoryCost: number; timeCost: number };
export const PRODUCTION_PASSWORD_COST: PasswordCost = { memoryCost: 65536, timeCost: 2 };
let passwordCost: PasswordCost = PRODUCTION_PASSWORD_COST;

/** Tests lower the cost so hundreds of sign-ins stay fast; the algorithm stays argon2id. */
export function setPasswordCost(cost: PasswordCost): void {
  passwordCost = cost;
}

export function hashPassword(password: string): string {
  return Bun.password.hashSync(password, { algorithm: "argon2id", ...passwordCost });
}

/** The same hash on Bun's thread pool: a request's event loop is not held for the 64 MiB of argon2id. */
export function hashPasswordAsync(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: "argon2id", ...passwordCost });
}

export type UserPatch = { displayName?: string | null; role?: StaffRole; disabled?: boolean };

/** Changes a user's row; answers which of the fields changed, with their values before and after. */
export function updateUserRow(
  db: Database,
  id: number,
  before: UserRow,
  patch: UserPatch,
): Record<string, [unknown, unknown]> {
  const changed: Record<string, [unknown, unknown]> = {};
  const sets: string[] = [];
  const values: (string | number | null)[] = [];
  if (patch.displayName !== undefined && patch.displayName !== before.display_name) {
    (sets.push("display_name = ?"),
      values.push(patch.displayName),
      (changed["displayName"] = [before.display_name, patch.displayName]));
  }
  if (patch.role !== undefined && patch.role !== before.role)
    (sets.push("role = ?"), values.push(patch.role), (changed["role"] = [before.role, patch.role]));
  if (patch.disabled !== undefined && patch.disabled !== (before.disabled === 1)) {
    (sets.push("disabled = ?"),
      values.push(patch.disabled ? 1 : 0),
      (changed["disabled"] = [before.disabled === 1, patch.disabled]));
  }
  if (sets.length > 0)
    db.query(`UPDATE users SET ${sets.join(", ")} WHERE id = ?`).run(...values, id);
  return changed;
}

export function disableUser(db: Database, id: number): void {
  db.query("UPDATE users SET disabled = 1 WHERE id = ?").run(id);
}

export function setPasswordHash(db: Database, id: number, passwordHash: string): void {
  db.query("UPDATE users SET password_hash = ? WHERE id = ?").run(passwordHash, id);
}

export function passwordHashOf(db: Database, id: number): string | null {
  return (
    db
      .query<{ password_hash: string }, [number]>("SELECT password_hash FROM users WHERE id = ?")
      .get(id)?.password_hash ?? null
  );
}

export function recordSignIn(db: Database, id: number, nowMs: number): void {
  db.query("UPDATE users SET last_sign_in_at_ms = ? WHERE id = ?").run(nowMs, id);
}
