/**
 * Households as use cases: registering one, setting or removing its PIN, finding a page of a
 * village's households and matching a pasted list of names. Each write is one IMMEDIATE
 * transaction with its audit row; refusals are values (src/villages/refusal.ts). Editing a
 * household is src/villages/household-edit.ts, importing a file src/villages/household-import.ts.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { ok } from "../shared/result.ts";
import { postDueEntries } from "../ledger/posting.ts";
import { hashPasswordAsync } from "../auth/users.ts";
import { MATCH_NAMES_MAX, matchNames, splitNames, type NameMatch } from "./household-match.ts";
import {
  householdIdByExternalId,
  insertHousehold,
  listHouseholds,
  searchHouseholds,
  SEARCH_OFFSET_MAX,
  setHouseholdPinHash,
  villageOfHousehold,
  type HouseholdRow,
  type NewHousehold,
} from "./household-store.ts";
import { refusal, type VillageResult } from "./refusal.ts";

/** Registers a household with its members; an external id is the village's one household's. */
export function registerHousehold(
  db: Database,
  audit: AuditContext,
  villageId: number,
  household: NewHousehold,
): VillageResult<number> {
  return immediate(db, (): VillageResult<number> => {
    if (
      household.externalId !== null &&
      householdIdByExternalId(db, villageId, household.externalId) !== null
    ) {
      return refusal(
        "conflict",
        `A household with externalId ${household.externalId} already exists in this village.`,
        {
          errors: [
            {
              path: "body.externalId",
              message: "already used by another household of this village",
            },
          ],
        },
      );
    }
    const id = insertHousehold(db, villageId, household, audit.nowMs);
    recordAudit(db, audit, { action: "create", entity: "household", entityId: id, villageId });
    return ok(id);
  });
}

/** Sets or replaces the household's PIN, stored as an argon2id hash (hashed before the transaction). */
export async function setHouseholdPin(
  db: Database,
  audit: AuditContext,
  householdId: number,
  pin: string,
): Promise<void> {
  const pinHash = await hashPasswordAsync(pin);
  immediate(db, () => {
    setHouseholdPinHash(db, householdId, pinHash);
    recordAudit(db, audit, {
      action: "set_pin",
      entity: "household",
      entityId: householdId,
      villageId: villageOfHousehold(db, householdId),
    });
  });
}

/** Removes the household's PIN (audited also when it had none). */
export function clearHouseholdPin(db: Database, audit: AuditContext, householdId: number): void {
  immediate(db, () => {
    setHouseholdPinHash(db, householdId, null);
    recordAudit(db, audit, {
      action: "clear_pin",
      entity: "household",
      entityId: householdId,
      villageId: villageOfHousehold(db, householdId),
    });
  });
}

export type HouseholdQuery = { search: string | undefined; after: number; limit: number };

/**
 * One more than a page of a village's households: by id after `after`, or, searching, the ranked
 * matches from offset `after`, which goes no deeper than SEARCH_OFFSET_MAX. `searched` says which.
 */
export function findHouseholds(
  db: Database,
  villageId: number,
  query: HouseholdQuery,
): VillageResult<{ rows: HouseholdRow[]; searched: boolean }> {
  const searched = query.search !== undefined && query.search !== "";
  if (searched && query.after > SEARCH_OFFSET_MAX) {
    return refusal("validation", "Search pages go no deeper; narrow the search.", {
      errors: [{ path: "query.cursor", message: "too deep" }],
    });
  }
  const rows = searched
    ? searchHouseholds(db, villageId, query.search!, query.after, query.limit + 1)
    : listHouseholds(db, villageId, query.after, query.limit + 1);
  return ok({ rows, searched });
}

/**
 * Matches a pasted list of names to a village's households (src/villages/household-match.ts),
 * after posting the entries whose notice has ended, so the balances shown are today's.
 */
export function matchPastedNames(
  db: Database,
  villageId: number,
  text: string,
  nowMs: number,
): VillageResult<NameMatch[]> {
  const names = splitNames(text);
  if (names.length > MATCH_NAMES_MAX) {
    const message = `at most ${MATCH_NAMES_MAX} names at a time; this list has ${names.length}`;
    return refusal("validation", `body.text: ${message}`, {
      errors: [{ path: "body.text", message }],
    });
  }
  postDueEntries(db, nowMs);
  return ok(matchNames(db, villageId, names));
}
