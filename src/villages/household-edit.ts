/**
 * Editing a household (PATCH /api/households/:id): its head's name, address, external id and
 * the full list of its other members. One IMMEDIATE transaction; every refusal is decided by
 * reads before the first write, so a refused edit changes nothing. Audited with the household
 * as it was and as it is.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { ok, type Failure, type Result } from "../shared/result.ts";
import type { RelationCode } from "./relations.ts";
import { refusal as refusalOf, type VillageFailure } from "./refusal.ts";
import {
  findHousehold,
  householdIdByExternalId,
  memberNamedByEntry,
  membersOf,
  updateHouseholdRow,
  type HouseholdRow,
  type MemberRow,
} from "./household-store.ts";

export type MemberEdit = {
  id?: number;
  name: string;
  relation?: Exclude<RelationCode, "head"> | null;
};
export type HouseholdEdit = {
  headName?: string;
  address?: string;
  externalId?: string | null;
  members?: MemberEdit[];
};

/** A refusal, and for a validation refusal the field it is about (`body.members[2].id`), named with the detail. */
export type EditFailure = VillageFailure;

function refusal(reason: Failure["reason"], detail: string, path?: string): EditFailure {
  return refusalOf(
    reason,
    detail,
    path === undefined ? {} : { errors: [{ path, message: detail }] },
  );
}

type Snapshot = {
  headName: string;
  address: string;
  externalId: string | null;
  members: { id: number; name: string; relation: string | null; isHead: boolean }[];
};

function snapshot(row: HouseholdRow, members: MemberRow[]): Snapshot {
  return {
    headName: row.head_name,
    address: row.address,
    externalId: row.external_id,
    members: members.map((m) => ({
      id: m.id,
      name: m.name,
      relation: m.relation,
      isHead: m.is_head === 1,
    })),
  };
}

/** What the member list asks for: members kept (by id), added and removed; or why not. */
function planMembers(
  db: Database,
  current: MemberRow[],
  wanted: MemberEdit[],
):
  | Result<{
      kept: (MemberEdit & { id: number; before: MemberRow })[];
      added: MemberEdit[];
      removed: MemberRow[];
    }>
  | EditFailure {
  const others = new Map(current.filter((m) => m.is_head === 0).map((m) => [m.id, m]));
  const kept: (MemberEdit & { id: number; before: MemberRow })[] = [];
  const added: MemberEdit[] = [];
  const seen = new Set<number>();
  for (const [index, m] of wanted.entries()) {
    if (m.id === undefined) {
      added.push(m);
      continue;
    }
    const before = others.get(m.id);
    if (before === undefined)
      return refusal(
        "validation",
        `Member ${m.id} is not one of this household's members other than its head.`,
        `body.members[${index}].id`,
      );
    if (seen.has(m.id))
      return refusal("validation", `Member ${m.id} is listed twice.`, `body.members[${index}].id`);
    seen.add(m.id);
    kept.push({ ...m, id: m.id, before });
  }
  const removed = [...others.values()].filter((m) => !seen.has(m.id));
  for (const m of removed) {
    if (memberNamedByEntry(db, m.id)) {
      return refusal(
        "conflict",
        `${m.name} (member ${m.id}) is named by an entry of this household, so cannot be removed; keep ${m.name} in the list.`,
      );
    }
  }
  return ok({ kept, added, removed });
}

export function editHousehold(
  db: Database,
  audit: AuditContext,
  householdId: number,
  edit: HouseholdEdit,
): Result<HouseholdRow> | EditFailure {
  return immediate(db, (): Result<HouseholdRow> | EditFailure => {
    const before = findHousehold(db, householdId);
    if (before === null) return refusal("not-found", `No household ${householdId}.`);
    const membersBefore = membersOf(db, householdId);
    if (
      edit.externalId !== undefined &&
      edit.externalId !== null &&
      edit.externalId !== before.external_id
    ) {
      const other = householdIdByExternalId(db, before.village_id, edit.externalId);
      if (other !== null && other !== householdId)
        return refusal(
          "conflict",
          `Household ${other} of this village already has the external id ${edit.externalId}.`,
          "body.externalId",
        );
    }
    const plan = edit.members === undefined ? null : planMembers(db, membersBefore, edit.members);
    if (plan !== null && !plan.ok) return plan;

    // Every refusal is behind us: from here on, only writes.
    updateHouseholdRow(db, householdId, edit);
    if (plan !== null) {
      const { kept, added, removed } = plan.value;
      for (const m of removed) db.query("DELETE FROM members WHERE id = ?").run(m.id);
      for (const m of kept)
        db.query("UPDATE members SET name = ?, relation = ? WHERE id = ?").run(
          m.name,
          m.relation === undefined ? m.before.relation : m.relation,
          m.id,
        );
      const insert = db.query(
        "INSERT INTO members (household_id, name, relation, is_head) VALUES (?, ?, ?, 0)",
      );
      for (const m of added) insert.run(householdId, m.name, m.relation ?? null);
    }
    const after = findHousehold(db, householdId)!;
    recordAudit(db, audit, {
      action: "update",
      entity: "household",
      entityId: householdId,
      villageId: before.village_id,
      detail: {
        before: snapshot(before, membersBefore),
        after: snapshot(after, membersOf(db, householdId)),
      },
    });
    return ok(after);
  });
}
