/**
 * Cards as use cases: issuing one for a household, revoking one (it answers 404 everywhere from
 * then on) and reissuing a lost or worn one in one step. Each is one IMMEDIATE transaction with
 * its audit row; refusals are values (src/villages/refusal.ts).
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { ok } from "../shared/result.ts";
import { findCard, insertCard, markCardRevoked, type CardRow } from "./card-store.ts";
import { villageOfHousehold } from "./household-store.ts";
import { refusal, type VillageResult } from "./refusal.ts";

/** Issues a card for a household (which the route's scope check found); its other cards stay valid. */
export function issueCard(db: Database, audit: AuditContext, householdId: number): CardRow {
  return immediate(db, () => {
    const villageId = villageOfHousehold(db, householdId)!;
    const row = insertCard(db, householdId, villageId, audit.nowMs);
    recordAudit(db, audit, {
      action: "issue",
      entity: "card",
      entityId: row.id,
      villageId,
      detail: { householdId },
    });
    return row;
  });
}

/** Revokes a card (which the route's scope check found); revoking it again is audited again, and changes nothing. */
export function revokeCard(db: Database, audit: AuditContext, cardId: number): void {
  immediate(db, () => {
    const card = findCard(db, cardId)!;
    markCardRevoked(db, card, audit.nowMs);
    recordAudit(db, audit, {
      action: "revoke",
      entity: "card",
      entityId: card.id,
      villageId: card.village_id,
    });
  });
}

/** Revokes an active card and issues its household a new one; a revoked card is not reissued. */
export function reissueCard(
  db: Database,
  audit: AuditContext,
  cardId: number,
): VillageResult<CardRow> {
  return immediate(db, (): VillageResult<CardRow> => {
    const old = findCard(db, cardId)!;
    if (old.revoked_at_ms !== null)
      return refusal(
        "conflict",
        "This card was already revoked; issue a new card for the household instead.",
      );
    markCardRevoked(db, old, audit.nowMs);
    const fresh = insertCard(db, old.household_id, old.village_id, audit.nowMs);
    recordAudit(db, audit, {
      action: "reissue",
      entity: "card",
      entityId: fresh.id,
      villageId: old.village_id,
      detail: { replaces: old.id },
    });
    return ok(fresh);
  });
}
