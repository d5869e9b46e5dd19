/**
 * Kiosk devices: registered by a village admin with a bearer token shown once, listed, revoked
 * (locked out at once). SQL and use cases; the routes are src/auth/kiosk-routes.ts.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { ok } from "../shared/result.ts";
import { forgetPrincipals, newDeviceToken } from "./sessions.ts";
import { refusal, type AuthResult } from "./refusal.ts";

export type KioskRow = {
  id: number;
  village_id: number;
  name: string;
  created_at_ms: number;
  revoked_at_ms: number | null;
  last_seen_at_ms: number | null;
};

/** Registers a kiosk of a village; its token is in this answer only (the database keeps its hash). */
export function registerKiosk(
  db: Database,
  audit: AuditContext,
  villageId: number,
  name: string,
): { token: string; row: KioskRow } {
  const { token, hash } = newDeviceToken();
  const row = immediate(db, () => {
    const inserted = db
      .query<KioskRow, [number, string, string, number]>(
        "INSERT INTO kiosks (village_id, name, token_hash, created_at_ms) VALUES (?, ?, ?, ?) RETURNING *",
      )
      .get(villageId, name, hash, audit.nowMs)!;
    recordAudit(db, audit, {
      action: "create",
      entity: "kiosk",
      entityId: inserted.id,
      villageId,
      detail: { name },
    });
    return inserted;
  });
  return { token, row };
}

/** A village's kiosks, revoked ones too. */
export function kiosksOfVillage(db: Database, villageId: number): KioskRow[] {
  return db
    .query<KioskRow, [number]>("SELECT * FROM kiosks WHERE village_id = ? ORDER BY id")
    .all(villageId);
}

/** The kiosk's village, or null when there is no such kiosk: the scope of routes about a kiosk. */
export function villageOfKiosk(db: Database, kioskId: number): number | null {
  return (
    db
      .query<{ village_id: number }, [number]>("SELECT village_id FROM kiosks WHERE id = ?")
      .get(kioskId)?.village_id ?? null
  );
}

/** Revokes a kiosk; revoking a revoked one changes nothing and is not audited again. */
export function revokeKiosk(db: Database, audit: AuditContext, kioskId: number): AuthResult<null> {
  return immediate(db, (): AuthResult<null> => {
    const row = db.query<KioskRow, [number]>("SELECT * FROM kiosks WHERE id = ?").get(kioskId);
    if (!row) return refusal("not-found", "No such kiosk.");
    if (row.revoked_at_ms === null) {
      db.query("UPDATE kiosks SET revoked_at_ms = ? WHERE id = ?").run(audit.nowMs, kioskId);
      forgetPrincipals(db);
      recordAudit(db, audit, {
        action: "revoke",
        entity: "kiosk",
        entityId: kioskId,
        villageId: row.village_id,
      });
    }
    return ok(null);
  });
}

/** A paired kiosk's name and its village's. */
export function kioskAndVillageNames(
  db: Database,
  kioskId: number,
): { name: string; village_name: string } {
  return db
    .query<{ name: string; village_name: string }, [number]>(
      "SELECT k.name, v.name AS village_name FROM kiosks k JOIN villages v ON v.id = k.village_id WHERE k.id = ?",
    )
    .get(kioskId)!;
}
