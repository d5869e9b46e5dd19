/**
 * The life of an entry (domain.md): record (or claim), approve or reject, public notice,
 * objection and resolution, posting, reversal. Each exported function is one write use case: one
 * IMMEDIATE transaction with no await inside, audited, answering a value (`LedgerResult`). A
 * refusal rolls the whole transaction back, so a refused request changes nothing.
 */
import type { Database } from "bun:sqlite";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { assert } from "../shared/assert.ts";
import { DAY_MS } from "../shared/clock.ts";
import { findVillage, type VillageRow } from "../villages/village-store.ts";
import { shanghaiDay } from "../shared/calendar.ts";
import {
  appendPostedEntry,
  findEntry,
  insertEntry,
  postEntry,
  type EntryKind,
  type EntryRow,
} from "./entry-store.ts";
import { inTransaction, refuse, type LedgerResult } from "./refusal.ts";
import { postDueEntriesInside } from "./posting.ts";
import { villageOfEvidence } from "./evidence.ts";
import { findRule, type RuleRow } from "./rule.ts";

/** Who records or decides: a staff member's username (kept on the entry and hashed with it). */
export type StaffRef = { username: string };

export const QUANTITY_MAX = 1000;
export const BATCH_HOUSEHOLDS_MAX = 500;

export type EntryInput = {
  householdId: number;
  ruleId: number;
  quantity?: number;
  memberId?: number;
  note?: string;
  /** YYYY-MM-DD in Asia/Shanghai; today when absent; never in the future. */
  occurredOn?: string;
  /** A villager's claim (申报): enters as `proposed` and needs approval, whatever the village's settings. */
  claim?: boolean;
  /** An evidence photo (POST /api/villages/:villageId/evidence) of the entry's village. */
  evidenceId?: number;
};

export type BatchInput = Omit<EntryInput, "householdId" | "memberId"> & {
  householdIds: readonly number[];
};

export type ResolveDecision = "uphold" | "revoke";

type HouseholdRef = { id: number; village_id: number };

/** How an entry starts: the pure decision from the village's settings. */
export function initialStatus(
  village: Pick<VillageRow, "notice_days" | "require_approval">,
  claim: boolean,
): "proposed" | "in_notice" | "posted" {
  if (claim || village.require_approval === 1) return "proposed";
  return village.notice_days > 0 ? "in_notice" : "posted";
}

function loadHousehold(db: Database, id: number): HouseholdRef | null {
  return db
    .query<HouseholdRef, [number]>("SELECT id, village_id FROM households WHERE id = ?")
    .get(id);
}

/**
 * The day an entry happened: today when not given, never in the future, and at most the village's
 * backdateDaysMax days ago, so an award cannot be dated into a long-gone month to pass a monthly
 * cap (the cap counts by the entry's own month) or to rewrite a closed year.
 */
function checkOccurredOn(
  occurredOn: string | undefined,
  nowMs: number,
  village: Pick<VillageRow, "backdate_days_max">,
): string {
  const today = shanghaiDay(nowMs);
  const day = occurredOn ?? today;
  if (day > today)
    refuse(
      "validation",
      `occurredOn ${day} is in the future (today is ${today} in Asia/Shanghai).`,
      "body.occurredOn",
    );
  // Asia/Shanghai has no daylight saving time: whole days back in milliseconds land on whole days.
  const earliest = shanghaiDay(nowMs - village.backdate_days_max * DAY_MS);
  if (day < earliest) {
    refuse(
      "validation",
      `occurredOn ${day} is more than ${village.backdate_days_max} days ago; the village records entries back to ${earliest}.`,
      "body.occurredOn",
      {
        code: "too-far-back",
        params: { days: village.backdate_days_max, earliest },
      },
    );
  }
  return day;
}

/** Absolute points already counted under a rule for a household in a month, reversed and refused entries aside. */
export function pointsUnderCap(
  db: Database,
  householdId: number,
  ruleId: number,
  month: string,
): number {
  const row = db
    .query<{ total: number }, [number, number, string]>(
      `SELECT coalesce(sum(abs(e.points)), 0) AS total FROM entries e
       WHERE e.household_id = ? AND e.rule_id = ? AND e.occurred_month = ? AND e.kind IN ('award', 'deduction')
         AND e.status NOT IN ('rejected', 'revoked')
         AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.reverses_id = e.id)`,
    )
    .get(householdId, ruleId, month)!;
  return row.total;
}

/** Moves an entry on after it is approved (or needs no approval): into notice, or posted. */
function afterApproval(db: Database, entryId: number, village: VillageRow, nowMs: number): void {
  if (village.notice_days > 0) {
    db.query("UPDATE entries SET status = 'in_notice', notice_ends_at_ms = ? WHERE id = ?").run(
      nowMs + village.notice_days * DAY_MS,
      entryId,
    );
  } else {
    postEntry(db, entryId, nowMs);
  }
}

function headNameOf(db: Database, householdId: number): string {
  return (
    db
      .query<{ head_name: string }, [number]>("SELECT head_name FROM households WHERE id = ?")
      .get(householdId)?.head_name ?? String(householdId)
  );
}

/** Records one entry and answers it as stored. */
function recordOne(
  db: Database,
  audit: AuditContext,
  by: StaffRef,
  household: HouseholdRef,
  rule: RuleRow,
  village: VillageRow,
  input: Omit<EntryInput, "householdId">,
  batchId: string | null,
): EntryRow {
  const nowMs = audit.nowMs;
  const quantity = input.quantity ?? 1;
  assert(
    Number.isInteger(quantity) && quantity >= 1 && quantity <= QUANTITY_MAX,
    "quantity is validated before the use case",
  );
  const occurredOn = checkOccurredOn(input.occurredOn, nowMs, village);
  if (
    input.memberId !== undefined &&
    db
      .query("SELECT 1 FROM members WHERE id = ? AND household_id = ?")
      .get(input.memberId, household.id) === null
  ) {
    refuse(
      "validation",
      `Member ${input.memberId} is not a member of household ${household.id}.`,
      "body.memberId",
    );
  }
  const points = rule.points * quantity;
  if (rule.monthly_cap !== null) {
    const month = occurredOn.slice(0, 7);
    const already = pointsUnderCap(db, household.id, rule.id, month);
    if (already + Math.abs(points) > rule.monthly_cap) {
      refuse(
        "conflict",
        `Rule ${rule.code} has a monthly cap of ${rule.monthly_cap} points per household; household ${household.id} already has ${already} in ${month}, so ${Math.abs(points)} more would pass the cap.`,
        batchId === null ? "body.householdId" : "body.householdIds",
        {
          code: "monthly-cap",
          params: {
            rule: rule.title,
            cap: rule.monthly_cap,
            household: headNameOf(db, household.id),
            already,
            month,
            more: Math.abs(points),
          },
        },
      );
    }
  }
  const claim = input.claim === true;
  const status = initialStatus(village, claim);
  const kind: EntryKind = points > 0 ? "award" : "deduction";
  const fresh = {
    villageId: village.id,
    householdId: household.id,
    memberId: input.memberId ?? null,
    ruleId: rule.id,
    kind,
    points,
    quantity,
    ruleCode: rule.code,
    ruleTitle: rule.title,
    category: rule.category,
    note: input.note ?? null,
    occurredOn,
    batchId,
    createdAtMs: nowMs,
    createdBy: by.username,
    evidenceId: input.evidenceId ?? null,
    suspendMonths: kind === "deduction" ? rule.suspend_months : null,
  };
  if (status === "posted") return appendPostedEntry(db, fresh, nowMs, { returnRow: true }).row!;
  const id = insertEntry(db, { ...fresh, status });
  if (claim) db.query("UPDATE entries SET is_claim = 1 WHERE id = ?").run(id);
  if (status === "in_notice") afterApproval(db, id, village, nowMs);
  return findEntry(db, id)!;
}

function loadRuleFor(db: Database, ruleId: number, villageId: number): RuleRow {
  const rule = findRule(db, ruleId);
  // A rule of another village answers as missing: staff do not learn what exists elsewhere.
  if (rule === null || rule.village_id !== villageId)
    refuse("not-found", `No rule ${ruleId} in this village.`);
  if (rule.active !== 1)
    refuse(
      "conflict",
      `Rule ${rule.code} is retired; entries can no longer be recorded under it.`,
      "body.ruleId",
      { code: "rule-retired", params: { rule: rule.title } },
    );
  return rule;
}

/** An evidence photo must be of the entry's village; another village's answers as missing. */
function checkEvidence(db: Database, evidenceId: number | undefined, villageId: number): void {
  if (evidenceId === undefined) return;
  if (villageOfEvidence(db, evidenceId) !== villageId)
    refuse(
      "not-found",
      `No evidence photo ${evidenceId} in this village; upload it first.`,
      "body.evidenceId",
    );
}

export function recordEntry(
  db: Database,
  audit: AuditContext,
  by: StaffRef,
  input: EntryInput,
): LedgerResult<EntryRow> {
  return inTransaction(db, () => {
    const household = loadHousehold(db, input.householdId);
    if (household === null) refuse("not-found", `No household ${input.householdId}.`);
    const village = findVillage(db, household.village_id)!;
    const rule = loadRuleFor(db, input.ruleId, village.id);
    checkEvidence(db, input.evidenceId, village.id);
    const entry = recordOne(db, audit, by, household, rule, village, input, null);
    recordAudit(db, audit, {
      action: input.claim ? "claim" : "record",
      entity: "entry",
      entityId: entry.id,
      villageId: village.id,
      detail: {
        householdId: household.id,
        ruleId: rule.id,
        points: entry.points,
        status: entry.status,
      },
    });
    return entry;
  });
}

/** Records the same rule for many households: every entry or none. */
export function recordBatch(
  db: Database,
  audit: AuditContext,
  by: StaffRef,
  input: BatchInput,
): LedgerResult<EntryRow[]> {
  return inTransaction(db, () => {
    const rule = findRule(db, input.ruleId);
    if (rule === null) refuse("not-found", `No rule ${input.ruleId}.`);
    const village = findVillage(db, rule.village_id)!;
    loadRuleFor(db, rule.id, village.id);
    checkEvidence(db, input.evidenceId, village.id);
    const ids = [...new Set(input.householdIds)];
    if (ids.length !== input.householdIds.length)
      refuse("validation", "householdIds names a household twice.", "body.householdIds");
    const batchId = crypto.randomUUID();
    const entries: EntryRow[] = [];
    for (const householdId of ids) {
      const household = loadHousehold(db, householdId);
      if (household === null || household.village_id !== village.id)
        refuse("not-found", `No household ${householdId} in this village.`);
      entries.push(recordOne(db, audit, by, household, rule, village, input, batchId));
    }
    recordAudit(db, audit, {
      action: input.claim ? "claim_batch" : "record_batch",
      entity: "entry",
      entityId: batchId,
      villageId: village.id,
      detail: { ruleId: rule.id, households: ids.length },
    });
    return entries;
  });
}

function noticeEnded(entry: EntryRow, nowMs: number): boolean {
  return entry.notice_ends_at_ms !== null && entry.notice_ends_at_ms <= nowMs;
}

function loadEntry(db: Database, id: number): EntryRow {
  const entry = findEntry(db, id);
  if (entry === null) refuse("not-found", `No entry ${id}.`);
  return entry;
}

/** Four eyes: a second staff member approves a proposed entry, never the one who recorded it. */
export function approveEntry(
  db: Database,
  audit: AuditContext,
  by: StaffRef,
  entryId: number,
): LedgerResult<EntryRow> {
  return inTransaction(db, () => {
    const entry = loadEntry(db, entryId);
    if (entry.status !== "proposed")
      refuse(
        "conflict",
        `Entry ${entryId} is ${entry.status}; only a proposed entry can be approved.`,
      );
    if (String(entry.created_by).toLowerCase() === by.username.toLowerCase())
      refuse(
        "forbidden",
        "An entry is approved by a second staff member, never by the one who recorded it.",
      );
    db.query("UPDATE entries SET approved_by = ?, approved_at_ms = ? WHERE id = ?").run(
      by.username,
      audit.nowMs,
      entryId,
    );
    afterApproval(db, entryId, findVillage(db, entry.village_id)!, audit.nowMs);
    recordAudit(db, audit, {
      action: "approve",
      entity: "entry",
      entityId: entryId,
      villageId: entry.village_id,
    });
    return findEntry(db, entryId)!;
  });
}

/** Rejects a proposed entry, or one on notice whose notice has not ended. */
export function rejectEntry(
  db: Database,
  audit: AuditContext,
  by: StaffRef,
  entryId: number,
  reason: string,
): LedgerResult<EntryRow> {
  return inTransaction(db, () => {
    const entry = loadEntry(db, entryId);
    if (entry.status === "in_notice" && noticeEnded(entry, audit.nowMs))
      refuse(
        "conflict",
        `The notice of entry ${entryId} has ended; it is posted, so reverse it instead.`,
      );
    if (entry.status !== "proposed" && entry.status !== "in_notice") {
      refuse(
        "conflict",
        `Entry ${entryId} is ${entry.status}; only a proposed entry or one still on notice can be rejected${entry.status === "posted" ? " (reverse a posted entry instead)" : ""}.`,
      );
    }
    db.query("UPDATE entries SET status = 'rejected', decided_reason = ? WHERE id = ?").run(
      reason,
      entryId,
    );
    recordAudit(db, audit, {
      action: "reject",
      entity: "entry",
      entityId: entryId,
      villageId: entry.village_id,
      detail: { reason, by: by.username },
    });
    return findEntry(db, entryId)!;
  });
}

export type ObjectionInput = { cardToken: string; entryId: number; reason: string };

/**
 * An objection from the resident side, with the card token as the key. The entry must be on
 * notice in the card's village; it becomes `disputed` and waits for the committee. An entry of
 * another village answers as missing; a card objects to an entry once (409 already-objected).
 */
export function objectToEntry(
  db: Database,
  audit: AuditContext,
  input: ObjectionInput,
): LedgerResult<{ objectionId: number; entry: EntryRow }> {
  return inTransaction(db, () => {
    const card = db
      .query<{ id: number; village_id: number }, [string]>(
        "SELECT id, village_id FROM cards WHERE token = ? AND revoked_at_ms IS NULL",
      )
      .get(input.cardToken);
    if (card === null) refuse("not-found", "No such card.");
    const entry = findEntry(db, input.entryId);
    if (entry === null || entry.village_id !== card.village_id)
      refuse("not-found", `No entry ${input.entryId} in this village.`);
    // One card, one objection to an entry: its reason is with the committee, and a second would
    // only fill the committee's list (the trigger objections_once_per_card holds it in the database too).
    if (
      db
        .query("SELECT 1 FROM objections WHERE entry_id = ? AND card_id = ?")
        .get(entry.id, card.id) !== null
    ) {
      refuse(
        "conflict",
        `This card has already objected to entry ${input.entryId}; the committee will decide it.`,
        undefined,
        { code: "already-objected", params: {} },
      );
    }
    if (entry.status !== "in_notice" && entry.status !== "disputed")
      refuse(
        "conflict",
        `Entry ${input.entryId} is ${entry.status}, not on public notice; objections are taken only during the notice.`,
      );
    // Judged by the clock, not by the status: an objection after the notice ended is too late even
    // when the scheduler has not posted the entry yet.
    if (entry.status === "in_notice" && noticeEnded(entry, audit.nowMs))
      refuse(
        "conflict",
        `The notice of entry ${input.entryId} has ended; objections are taken only during the notice.`,
      );
    const objection = db
      .query<{ id: number }, [number, number, number, string, number, string]>(
        "INSERT INTO objections (entry_id, village_id, card_id, reason, created_at_ms, address) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      )
      .get(entry.id, entry.village_id, card.id, input.reason, audit.nowMs, audit.address)!;
    db.query("UPDATE entries SET status = 'disputed' WHERE id = ?").run(entry.id);
    recordAudit(db, audit, {
      action: "object",
      entity: "entry",
      entityId: entry.id,
      villageId: entry.village_id,
      detail: { objectionId: objection.id, cardId: card.id },
    });
    return { objectionId: objection.id, entry: findEntry(db, entry.id)! };
  });
}

/**
 * The committee decides a disputed entry. Upheld, it goes back on notice for what remains of its
 * notice, or is posted at once when the notice has ended; revoked, it never counts.
 */
export function resolveObjection(
  db: Database,
  audit: AuditContext,
  by: StaffRef,
  entryId: number,
  decision: ResolveDecision,
  reason: string,
): LedgerResult<EntryRow> {
  return inTransaction(db, () => {
    const entry = loadEntry(db, entryId);
    if (entry.status !== "disputed")
      refuse("conflict", `Entry ${entryId} is ${entry.status}; only a disputed entry is resolved.`);
    db.query("UPDATE entries SET decided_reason = ? WHERE id = ?").run(reason, entryId);
    if (decision === "revoke") {
      db.query("UPDATE entries SET status = 'revoked' WHERE id = ?").run(entryId);
    } else if (entry.notice_ends_at_ms !== null && entry.notice_ends_at_ms > audit.nowMs) {
      db.query("UPDATE entries SET status = 'in_notice' WHERE id = ?").run(entryId);
    } else {
      postEntry(db, entryId, audit.nowMs);
    }
    recordAudit(db, audit, {
      action: `resolve_${decision}`,
      entity: "entry",
      entityId: entryId,
      villageId: entry.village_id,
      detail: { reason, by: by.username },
    });
    return findEntry(db, entryId)!;
  });
}

/**
 * Appends the reversal of a posted entry: the opposite points, posted at once, keeping the
 * original's rule, category and day so reports and the honour board count the original as never
 * earned. The caller has checked that the entry may be reversed. Inside the caller's transaction.
 */
function appendReversal(
  db: Database,
  entry: EntryRow,
  by: StaffRef,
  reason: string,
  nowMs: number,
): number {
  return appendPostedEntry(
    db,
    {
      villageId: entry.village_id,
      householdId: entry.household_id,
      memberId: entry.member_id as number | null,
      ruleId: entry.rule_id as number | null,
      kind: "reversal",
      points: -entry.points,
      quantity: entry.quantity as number,
      ruleCode: entry.rule_code as string | null,
      ruleTitle: entry.rule_title as string | null,
      category: entry.category as string | null,
      note: reason,
      occurredOn: entry.occurred_on as string,
      reversesId: entry.id,
      createdAtMs: nowMs,
      createdBy: by.username,
    },
    nowMs,
  ).id;
}

function reversalOf(db: Database, entryId: number): number | null {
  return (
    db.query<{ id: number }, [number]>("SELECT id FROM entries WHERE reverses_id = ?").get(entryId)
      ?.id ?? null
  );
}

/**
 * Undoes a posted entry with a reversal entry of the opposite points, posted at once. Once only:
 * the store's UNIQUE(reverses_id) backs the check below.
 */
export function reverseEntry(
  db: Database,
  audit: AuditContext,
  by: StaffRef,
  entryId: number,
  reason: string,
): LedgerResult<EntryRow> {
  return inTransaction(db, () => {
    const entry = loadEntry(db, entryId);
    if (entry.kind === "redemption")
      refuse(
        "conflict",
        `Entry ${entryId} is a redemption: void it at the supermarket (POST /api/redemptions/:id/void), which also puts the stock back.`,
      );
    if (entry.kind === "reversal")
      refuse(
        "conflict",
        `Entry ${entryId} is itself a reversal; record a new entry instead of reversing a reversal.`,
      );
    if (entry.status !== "posted")
      refuse(
        "conflict",
        `Entry ${entryId} is ${entry.status}; only a posted entry can be reversed.`,
      );
    const existing = reversalOf(db, entryId);
    if (existing !== null)
      refuse("conflict", `Entry ${entryId} was already reversed by entry ${existing}.`);
    const id = appendReversal(db, entry, by, reason, audit.nowMs);
    recordAudit(db, audit, {
      action: "reverse",
      entity: "entry",
      entityId: id,
      villageId: entry.village_id,
      detail: { reverses: entryId, reason },
    });
    return findEntry(db, id)!;
  });
}

/** Who undoes a batch: its recorder always; anyone else only as a village or township administrator. */
export type Undoer = StaffRef & { mayUndoOthers: boolean };

/** The village of a batch recorded through POST /api/entries/batch, or null (entries_batch). */
export function villageOfBatch(db: Database, batchId: string): number | null {
  return (
    db
      .query<{ village_id: number }, [string]>(
        "SELECT village_id FROM entries WHERE batch_id = ? LIMIT 1",
      )
      .get(batchId)?.village_id ?? null
  );
}

/**
 * Takes a whole batch back (the staff pages' 撤销), in one transaction: each posted entry gets
 * its reversal, each entry still waiting (proposed, on notice, disputed) is rejected with the
 * reason, and entries already reversed, rejected or revoked are left alone. Due notices are
 * posted first, so an entry whose notice has ended is reversed, as the clock says it is posted.
 * Nothing left to undo is a conflict, so a second undo of the same batch changes nothing.
 */
export function undoBatch(
  db: Database,
  audit: AuditContext,
  by: Undoer,
  batchId: string,
  reason: string,
): LedgerResult<{ reversedIds: number[]; withdrawnIds: number[] }> {
  return inTransaction(db, () => {
    postDueEntriesInside(db, audit.nowMs);
    const entries = db
      .query<EntryRow, [string]>("SELECT * FROM entries WHERE batch_id = ? ORDER BY id")
      .all(batchId);
    const first = entries[0];
    if (first === undefined) refuse("not-found", `No batch ${batchId}.`);
    if (!by.mayUndoOthers && String(first.created_by).toLowerCase() !== by.username.toLowerCase()) {
      refuse(
        "forbidden",
        `Batch ${batchId} was recorded by ${String(first.created_by)}; only they or a village or township administrator may undo it.`,
      );
    }
    const reversedIds: number[] = [];
    const withdrawnIds: number[] = [];
    for (const entry of entries) {
      // Only what POST /api/entries/batch records; anything else sharing the id is not undone here.
      if (entry.kind !== "award" && entry.kind !== "deduction") continue;
      if (entry.status === "posted") {
        if (reversalOf(db, entry.id) === null)
          reversedIds.push(appendReversal(db, entry, by, reason, audit.nowMs));
      } else if (
        entry.status === "proposed" ||
        entry.status === "in_notice" ||
        entry.status === "disputed"
      ) {
        db.query("UPDATE entries SET status = 'rejected', decided_reason = ? WHERE id = ?").run(
          reason,
          entry.id,
        );
        withdrawnIds.push(entry.id);
      }
    }
    if (reversedIds.length === 0 && withdrawnIds.length === 0) {
      refuse(
        "conflict",
        `Nothing in batch ${batchId} is left to undo: its entries are already reversed, rejected or revoked.`,
      );
    }
    recordAudit(db, audit, {
      action: "undo_batch",
      entity: "entry",
      entityId: batchId,
      villageId: first.village_id,
      detail: { reason, by: by.username, reversals: reversedIds, withdrawn: withdrawnIds },
    });
    return { reversedIds, withdrawnIds };
  });
}
