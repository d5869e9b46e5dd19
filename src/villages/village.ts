/**
 * Villages as use cases: creating one and changing its name or settings. Each is one IMMEDIATE
 * transaction with its audit row; refusals are values (src/villages/refusal.ts). Only the
 * township switches a check off (src/villages/village-settings.ts names which changes do).
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { ok } from "../shared/result.ts";
import type { Principal } from "../auth/principal.ts";
import { looseningFields, settingsChange } from "./village-settings.ts";
import {
  findVillage,
  insertVillage,
  updateVillage,
  villageCodeTaken,
  type VillagePatch,
  type VillageRow,
} from "./village-store.ts";
import { refusal, type VillageResult } from "./refusal.ts";

/** Creates a village; its code is its own. The input is audited as given. */
export function createVillage(
  db: Database,
  audit: AuditContext,
  input: { name: string; code: string },
): VillageResult<VillageRow> {
  return immediate(db, (): VillageResult<VillageRow> => {
    if (villageCodeTaken(db, input.code)) {
      return refusal("conflict", `The village code ${input.code} is taken.`, {
        errors: [{ path: "body.code", message: "taken" }],
        code: "village-code-taken",
        params: { code: input.code },
      });
    }
    const village = insertVillage(db, { name: input.name, code: input.code, nowMs: audit.nowMs });
    recordAudit(db, audit, {
      action: "create",
      entity: "village",
      entityId: village.id,
      villageId: village.id,
      detail: input,
    });
    return ok(village);
  });
}

/**
 * Changes a village's name or settings; a change that switches a check off is the township
 * administrator's only (403 township-admin-only, each such field named). The patch is audited as
 * given, with the settings as they were.
 */
export function changeVillage(
  db: Database,
  audit: AuditContext,
  actor: Principal | null,
  villageId: number,
  patch: VillagePatch,
): VillageResult<VillageRow> {
  return immediate(db, (): VillageResult<VillageRow> => {
    const before = findVillage(db, villageId)!;
    const loosened = looseningFields(before, patch);
    if (loosened.length > 0 && !(actor?.kind === "user" && actor.role === "township_admin")) {
      const fields = loosened.join(", ");
      return refusal(
        "forbidden",
        `Only a township administrator switches a check off: ${fields}.`,
        {
          errors: loosened.map((f) => ({
            path: `body.${f}`,
            message: "only a township administrator may loosen this",
          })),
          code: "township-admin-only",
          params: { fields },
        },
      );
    }
    updateVillage(db, villageId, patch);
    const after = findVillage(db, villageId)!;
    recordAudit(db, audit, {
      action: "update",
      entity: "village",
      entityId: villageId,
      villageId,
      detail: { ...patch, before: settingsChange(before, after, patch).before },
    });
    return ok(after);
  });
}
