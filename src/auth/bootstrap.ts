import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, systemAudit } from "../audit/audit.ts";
import { randomToken } from "./tokens.ts";
import { countUsers, hashPassword, insertUser, PASSWORD_MIN_LENGTH } from "./users.ts";

const GENERATED_PASSWORD_BYTES = 12;

/** On a database with no users, creates the township administrator `admin`. */
export function ensureAdmin(
  db: Database,
  password: string | undefined,
  nowMs: number,
): { password: string; generated: boolean } | null {
  if (countUsers(db) > 0) return null;
  if (password !== undefined && password.length < PASSWORD_MIN_LENGTH)
    throw new Error(`ADMIN_PASSWORD must have at least ${PASSWORD_MIN_LENGTH} characters`);
  const chosen = password ?? randomToken(GENERATED_PASSWORD_BYTES);
  const hash = hashPassword(chosen);
  return immediate(db, () => {
    if (countUsers(db) > 0) return null;
    const id = insertUser(db, {
      username: "admin",
      displayName: "镇管理员",
      passwordHash: hash,
      role: "township_admin",
      villageId: null,
      nowMs,
    });
    recordAudit(db, systemAudit(nowMs), {
      action: "create",
      entity: "user",
      entityId: id,
      villageId: null,
      detail: { username: "admin", bootstrap: true },
    });
    return { password: chosen, generated: password === undefined };
  });
}
