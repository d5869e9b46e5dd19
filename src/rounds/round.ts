/**
 * Inspection rounds (人居环境评比): the write use cases. Each is one IMMEDIATE transaction with no
 * await inside, audited, answering a value; a refusal rolls everything back.
 *
 * Submitting records the round's scored cells in the ledger with the ledger's own pieces
 * (`initialStatus`, `pointsUnderCap`, `appendPostedEntry`, `insertEntry`), exactly as
 * `POST /api/entries/batch` records each of its entries: the village's approval and notice decide
 * each entry's status, the monthly cap is checked per household and rule, the entries copy their
 * rule and carry the cell's note and evidence, and they share one batch id so the ledger's undo
 * takes the whole round back. See README.md beside this file.
 */
import type { Database } from "bun:sqlite";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { assert } from "../shared/assert.ts";
import { DAY_MS } from "../shared/clock.ts";
import { shanghaiDay } from "../shared/calendar.ts";
import { findVillage, type VillageRow } from "../villages/village-store.ts";
import { initialStatus, pointsUnderCap } from "../ledger/entry.ts";
import { appendPostedEntry, insertEntry } from "../ledger/entry-store.ts";
import { inTransaction, refuse, type LedgerResult } from "../ledger/refusal.ts";
import { findRule, type RuleRow } from "../ledger/rule.ts";
import { villageOfEvidence } from "../ledger/evidence.ts";
import {
  deleteRoundRows,
  findRound,
  hasHousehold,
  hasRule,
  insertRound,
  markSubmitted,
  putScore,
  roundHouseholds,
  roundRules,
  roundScores,
  villageHouseholdIds,
  type RoundRow,
  type ScoreRow,
} from "./round-store.ts";

export const ROUND_RULES_MAX = 20;
/** A round of the whole village is refused past this many households: 2,000 × 20 rules is 40,000 cells. */
export const ROUND_HOUSEHOLDS_MAX = 2000;
export const SCORE_QUANTITY_MAX = 10;

/** Who acts: `actorId` (`user:5`) is kept on rounds and cells; `username` on ledger entries, as the ledger keeps it. */
export type RoundActor = { actorId: string; username: string };

export type CreateRoundInput = {
  villageId: number;
  name: string;
  day: string;
  ruleIds: readonly number[];
  householdIds?: readonly number[];
};

/**
 * A round's day: never in the future, and no further back than the village lets entries be dated
 * (backdateDaysMax, as the ledger checks an entry's occurredOn), since every entry of the round
 * occurs on it.
 */
function checkDay(
  day: string,
  nowMs: number,
  village: Pick<VillageRow, "backdate_days_max">,
  path: string,
): void {
  const today = shanghaiDay(nowMs);
  if (day > today)
    refuse(
      "validation",
      `day ${day} is in the future (today is ${today} in Asia/Shanghai).`,
      path,
      { code: "day-in-future", params: { day, today } },
    );
  const earliest = shanghaiDay(nowMs - village.backdate_days_max * DAY_MS);
  if (day < earliest) {
    refuse(
      "validation",
      `day ${day} is more than ${village.backdate_days_max} days ago; the village records entries back to ${earliest}.`,
      path,
      {
        code: "too-far-back",
        params: { days: village.backdate_days_max, earliest },
      },
    );
  }
}

function loadRound(db: Database, roundId: number): RoundRow {
  const round = findRound(db, roundId);
  if (round === null) refuse("not-found", `No round ${roundId}.`);
  return round;
}

function loadDraft(db: Database, roundId: number): RoundRow {
  const round = loadRound(db, roundId);
  if (round.status !== "draft") {
    refuse(
      "conflict",
      `Round ${round.name} was submitted; it no longer changes (undo its batch ${round.batch_id} in the ledger to take its entries back).`,
      undefined,
      {
        code: "round-submitted",
        params: { round: round.name },
      },
    );
  }
  return round;
}

/** The active rules of a village named by `ruleIds`, in that order; a rule elsewhere or missing is 404. */
function activeRules(db: Database, villageId: number, ruleIds: readonly number[]): RuleRow[] {
  if (new Set(ruleIds).size !== ruleIds.length)
    refuse("validation", "ruleIds names a rule twice.", "body.ruleIds", {
      code: "duplicate-ids",
      params: { field: "ruleIds" },
    });
  return ruleIds.map((id) => {
    const rule = findRule(db, id);
    // Another village's rule answers as missing: staff do not learn what exists elsewhere.
    if (rule === null || rule.village_id !== villageId)
      refuse("not-found", `No rule ${id} in this village.`, "body.ruleIds");
    if (rule.active !== 1)
      refuse(
        "conflict",
        `Rule ${rule.code} is retired; a round scores only active rules.`,
        "body.ruleIds",
        { code: "rule-retired", params: { rule: rule.title } },
      );
    return rule;
  });
}

function householdsFor(
  db: Database,
  villageId: number,
  householdIds: readonly number[] | undefined,
): number[] {
  if (householdIds === undefined) {
    const all = villageHouseholdIds(db, villageId, ROUND_HOUSEHOLDS_MAX + 1);
    if (all.length === 0)
      refuse(
        "conflict",
        "The village has no households yet; add them before a round.",
        "body.householdIds",
        { code: "round-no-households", params: {} },
      );
    if (all.length > ROUND_HOUSEHOLDS_MAX) {
      refuse(
        "conflict",
        `The village has more than ${ROUND_HOUSEHOLDS_MAX} households; name the round's households (householdIds), a group at a time.`,
        "body.householdIds",
        {
          code: "round-too-large",
          params: { max: ROUND_HOUSEHOLDS_MAX },
        },
      );
    }
    return all;
  }
  if (new Set(householdIds).size !== householdIds.length)
    refuse("validation", "householdIds names a household twice.", "body.householdIds", {
      code: "duplicate-ids",
      params: { field: "householdIds" },
    });
  const inVillage = db.query<{ village_id: number }, [number]>(
    "SELECT village_id FROM households WHERE id = ?",
  );
  for (const id of householdIds) {
    if (inVillage.get(id)?.village_id !== villageId)
      refuse("not-found", `No household ${id} in this village.`, "body.householdIds");
  }
  return [...householdIds];
}

function makeRound(
  db: Database,
  audit: AuditContext,
  by: RoundActor,
  input: {
    villageId: number;
    name: string;
    day: string;
    ruleIds: number[];
    householdIds: number[];
  },
  detail: Record<string, unknown>,
): RoundRow {
  const id = insertRound(db, { ...input, createdBy: by.actorId, nowMs: audit.nowMs });
  recordAudit(db, audit, {
    action: "create",
    entity: "round",
    entityId: id,
    villageId: input.villageId,
    detail: {
      name: input.name,
      day: input.day,
      rules: input.ruleIds,
      households: input.householdIds.length,
      ...detail,
    },
  });
  return findRound(db, id)!;
}

export function createRound(
  db: Database,
  audit: AuditContext,
  by: RoundActor,
  input: CreateRoundInput,
): LedgerResult<RoundRow> {
  return inTransaction(db, () => {
    assert(
      input.ruleIds.length >= 1 && input.ruleIds.length <= ROUND_RULES_MAX,
      "the number of rules is validated before the use case",
    );
    const village = findVillage(db, input.villageId);
    if (village === null) refuse("not-found", `No village ${input.villageId}.`);
    checkDay(input.day, audit.nowMs, village, "body.day");
    const rules = activeRules(db, input.villageId, input.ruleIds);
    const householdIds = householdsFor(db, input.villageId, input.householdIds);
    return makeRound(
      db,
      audit,
      by,
      {
        villageId: input.villageId,
        name: input.name,
        day: input.day,
        ruleIds: rules.map((r) => r.id),
        householdIds,
      },
      {},
    );
  });
}

export type SkippedRule = { ruleId: number; code: string; title: string };

/** A new draft with the rules and households of another round; rules retired since are left out and named. */
export function copyRound(
  db: Database,
  audit: AuditContext,
  by: RoundActor,
  roundId: number,
  input: { name: string; day: string },
): LedgerResult<{ round: RoundRow; skippedRules: SkippedRule[] }> {
  return inTransaction(db, () => {
    const source = loadRound(db, roundId);
    checkDay(input.day, audit.nowMs, findVillage(db, source.village_id)!, "body.day");
    const rules = roundRules(db, roundId);
    const kept = rules.filter((r) => r.active === 1);
    const skippedRules = rules
      .filter((r) => r.active !== 1)
      .map((r) => ({ ruleId: r.rule_id, code: r.code, title: r.title }));
    if (kept.length === 0) {
      refuse(
        "conflict",
        `Every rule of round ${source.name} has been retired since; make a new round with the village's rules.`,
        undefined,
        { code: "round-rules-retired", params: { round: source.name } },
      );
    }
    const householdIds = roundHouseholds(db, roundId).map((h) => h.id);
    const round = makeRound(
      db,
      audit,
      by,
      {
        villageId: source.village_id,
        name: input.name,
        day: input.day,
        ruleIds: kept.map((r) => r.rule_id),
        householdIds,
      },
      { copiedFrom: source.id, skippedRules: skippedRules.map((r) => r.ruleId) },
    );
    return { round, skippedRules };
  });
}

export type ScoreInput = {
  roundId: number;
  householdId: number;
  ruleId: number;
  quantity: number;
  evidenceId?: number;
  note?: string;
};

/** Sets one cell of a draft round (quantity 0 clears it). The same PUT twice leaves the same one cell. */
export function scoreCell(
  db: Database,
  audit: AuditContext,
  by: RoundActor,
  input: ScoreInput,
): LedgerResult<ScoreRow> {
  return inTransaction(db, () => {
    assert(
      Number.isInteger(input.quantity) &&
        input.quantity >= 0 &&
        input.quantity <= SCORE_QUANTITY_MAX,
      "quantity is validated before the use case",
    );
    const round = loadDraft(db, input.roundId);
    if (!hasHousehold(db, round.id, input.householdId))
      refuse(
        "not-found",
        `Household ${input.householdId} is not in round ${round.name}.`,
        "params.householdId",
      );
    if (!hasRule(db, round.id, input.ruleId))
      refuse("not-found", `Rule ${input.ruleId} is not in round ${round.name}.`, "params.ruleId");
    if (input.quantity > 0) {
      const rule = findRule(db, input.ruleId)!;
      if (rule.active !== 1)
        refuse(
          "conflict",
          `Rule ${rule.code} was retired after the round was made; it can only be cleared (quantity 0).`,
          "params.ruleId",
          { code: "rule-retired", params: { rule: rule.title } },
        );
    }
    if (
      input.evidenceId !== undefined &&
      villageOfEvidence(db, input.evidenceId) !== round.village_id
    ) {
      refuse(
        "not-found",
        `No evidence photo ${input.evidenceId} in this village; upload it first.`,
        "body.evidenceId",
      );
    }
    const score = putScore(db, {
      round_id: round.id,
      household_id: input.householdId,
      rule_id: input.ruleId,
      quantity: input.quantity,
      evidence_id: input.evidenceId ?? null,
      note: input.note ?? null,
      updated_at_ms: audit.nowMs,
      updated_by: by.actorId,
    });
    recordAudit(db, audit, {
      action: "score",
      entity: "round",
      entityId: round.id,
      villageId: round.village_id,
      detail: {
        householdId: input.householdId,
        ruleId: input.ruleId,
        quantity: input.quantity,
        ...(input.evidenceId === undefined ? {} : { evidenceId: input.evidenceId }),
      },
    });
    return score;
  });
}

export type Submitted = { round: RoundRow; entries: number; points: number; entryIds: number[] };

type Cell = { household: { id: number; head_name: string }; rule: RuleRow; score: ScoreRow };

/** The scored cells in the grid's order (households by door plate, rules as named), each with its rule as it stands now. */
function scoredCells(db: Database, round: RoundRow): Cell[] {
  const scores = new Map(
    roundScores(db, round.id)
      .filter((s) => s.quantity > 0)
      .map((s) => [`${s.household_id}:${s.rule_id}`, s]),
  );
  const rules = roundRules(db, round.id).map((r) => findRule(db, r.rule_id)!);
  const cells: Cell[] = [];
  for (const household of roundHouseholds(db, round.id)) {
    for (const rule of rules) {
      const score = scores.get(`${household.id}:${rule.id}`);
      if (score !== undefined) cells.push({ household, rule, score });
    }
  }
  assert(
    cells.length === scores.size,
    "every scored cell is of one of the round's households and rules",
  );
  return cells;
}

/** Records one cell as an entry, as the ledger records an entry of a batch; answers its id and points. */
function recordCell(
  db: Database,
  audit: AuditContext,
  by: RoundActor,
  village: VillageRow,
  round: RoundRow,
  cell: Cell,
  batchId: string,
): { id: number; points: number } {
  const { household, rule, score } = cell;
  const points = rule.points * score.quantity;
  if (rule.monthly_cap !== null) {
    const month = round.day.slice(0, 7);
    const already = pointsUnderCap(db, household.id, rule.id, month);
    if (already + Math.abs(points) > rule.monthly_cap) {
      refuse(
        "conflict",
        `Rule ${rule.code} has a monthly cap of ${rule.monthly_cap} points per household; ${household.head_name} (household ${household.id}) already has ${already} in ${month}, so ${Math.abs(points)} more would pass the cap. Nothing was recorded; lower or clear that cell.`,
        `scores.${household.id}.${rule.id}`,
        {
          code: "monthly-cap",
          params: {
            rule: rule.title,
            ruleId: String(rule.id),
            cap: rule.monthly_cap,
            household: household.head_name,
            householdId: String(household.id),
            already,
            month,
            more: Math.abs(points),
          },
        },
      );
    }
  }
  const status = initialStatus(village, false);
  const entry = {
    villageId: village.id,
    householdId: household.id,
    ruleId: rule.id,
    kind: points > 0 ? ("award" as const) : ("deduction" as const),
    points,
    quantity: score.quantity,
    ruleCode: rule.code,
    ruleTitle: rule.title,
    category: rule.category,
    note: score.note,
    occurredOn: round.day,
    batchId,
    createdAtMs: audit.nowMs,
    createdBy: by.username,
    noticeEndsAtMs: status === "in_notice" ? audit.nowMs + village.notice_days * DAY_MS : null,
    evidenceId: score.evidence_id,
    // A deduction under a suspending rule suspends redemptions, as when recorded alone.
    suspendMonths: points < 0 ? rule.suspend_months : null,
  };
  const id =
    status === "posted"
      ? appendPostedEntry(db, entry, audit.nowMs).id
      : insertEntry(db, { ...entry, status });
  return { id, points };
}

/**
 * Submits a draft: one entry per scored cell, all or none, under one new batch id, recorded as the
 * submitting staff member on the round's day. Nothing scored is a conflict, so is a second submit.
 */
export function submitRound(
  db: Database,
  audit: AuditContext,
  by: RoundActor,
  roundId: number,
): LedgerResult<Submitted> {
  return inTransaction(db, () => {
    const round = loadDraft(db, roundId);
    const village = findVillage(db, round.village_id)!;
    checkDay(round.day, audit.nowMs, village, "round.day");
    const cells = scoredCells(db, round);
    if (cells.length === 0)
      refuse(
        "conflict",
        `Nothing in round ${round.name} is scored yet; score at least one cell before submitting.`,
        undefined,
        { code: "round-empty", params: { round: round.name } },
      );
    const retired = cells.find((c) => c.rule.active !== 1);
    if (retired !== undefined) {
      refuse(
        "conflict",
        `Rule ${retired.rule.code} was retired after the round was made; clear its cells (quantity 0) and submit again.`,
        `scores.${retired.household.id}.${retired.rule.id}`,
        {
          code: "rule-retired",
          params: { rule: retired.rule.title },
        },
      );
    }
    const batchId = crypto.randomUUID();
    let points = 0;
    const entryIds: number[] = [];
    for (const cell of cells) {
      const recorded = recordCell(db, audit, by, village, round, cell, batchId);
      entryIds.push(recorded.id);
      points += recorded.points;
    }
    markSubmitted(db, round.id, by.actorId, audit.nowMs, batchId, entryIds.length, points);
    recordAudit(db, audit, {
      action: "submit",
      entity: "round",
      entityId: round.id,
      villageId: round.village_id,
      detail: { batchId, entries: entryIds.length, points, status: initialStatus(village, false) },
    });
    const after = findRound(db, round.id)!;
    assert(
      after.status === "submitted" && after.entries_count === cells.length,
      "the round is submitted with one entry per scored cell",
    );
    return { round: after, entries: entryIds.length, points, entryIds };
  });
}

/** Deletes a draft round; a submitted one stays, as its entries name its batch. */
export function deleteRound(
  db: Database,
  audit: AuditContext,
  roundId: number,
): LedgerResult<RoundRow> {
  return inTransaction(db, () => {
    const round = loadDraft(db, roundId);
    deleteRoundRows(db, round.id);
    recordAudit(db, audit, {
      action: "delete",
      entity: "round",
      entityId: round.id,
      villageId: round.village_id,
      detail: { name: round.name, day: round.day },
    });
    return round;
  });
}
