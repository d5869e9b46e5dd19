/** SQL for inspection rounds. Never opens a transaction: the use case holds one. */
import type { Database } from "bun:sqlite";
import { inDoorPlateOrder } from "./door-order.ts";

export type RoundStatus = "draft" | "submitted";

export type RoundRow = {
  id: number;
  village_id: number;
  name: string;
  day: string;
  status: RoundStatus;
  rules_count: number;
  households_count: number;
  created_by: string;
  created_at_ms: number;
  submitted_by: string | null;
  submitted_at_ms: number | null;
  batch_id: string | null;
  entries_count: number;
  points_total: number;
};

/** A round's rule as it stands now (a round names rules; their points are read when it is submitted). */
export type RoundRuleRow = {
  rule_id: number;
  code: string;
  title: string;
  category: string;
  points: number;
  monthly_cap: number | null;
  active: number;
  position: number;
};
export type RoundHouseholdRow = {
  id: number;
  head_name: string;
  address: string;
  door_key: string;
};
export type ScoreRow = {
  round_id: number;
  household_id: number;
  rule_id: number;
  quantity: number;
  evidence_id: number | null;
  note: string | null;
  updated_at_ms: number;
  updated_by: string;
};

export type NewRound = {
  villageId: number;
  name: string;
  day: string;
  ruleIds: readonly number[];
  householdIds: readonly number[];
  createdBy: string;
  nowMs: number;
};

export function insertRound(db: Database, r: NewRound): number {
  const { id } = db
    .query<{ id: number }, [number, string, string, number, number, string, number]>(
      "INSERT INTO rounds (village_id, name, day, rules_count, households_count, created_by, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .get(
      r.villageId,
      r.name,
      r.day,
      r.ruleIds.length,
      r.householdIds.length,
      r.createdBy,
      r.nowMs,
    )!;
  const rule = db.query("INSERT INTO round_rules (round_id, rule_id, position) VALUES (?, ?, ?)");
  r.ruleIds.forEach((ruleId, position) => rule.run(id, ruleId, position));
  const household = db.query("INSERT INTO round_households (round_id, household_id) VALUES (?, ?)");
  for (const householdId of r.householdIds) household.run(id, householdId);
  return id;
}

export function findRound(db: Database, id: number): RoundRow | null {
  return db.query<RoundRow, [number]>("SELECT * FROM rounds WHERE id = ?").get(id);
}

export function villageOfRound(db: Database, id: number): number | null {
  return (
    db.query<{ village_id: number }, [number]>("SELECT village_id FROM rounds WHERE id = ?").get(id)
      ?.village_id ?? null
  );
}

/** A village's rounds, newest first, ids below `beforeId` (0: from the newest), on rounds_village. */
export function roundsPage(
  db: Database,
  villageId: number,
  beforeId: number,
  limit: number,
): RoundRow[] {
  return db
    .query<RoundRow, [number, number, number]>(
      "SELECT * FROM rounds WHERE village_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
    )
    .all(villageId, beforeId === 0 ? Number.MAX_SAFE_INTEGER : beforeId, limit);
}

export function roundRules(db: Database, roundId: number): RoundRuleRow[] {
  return db
    .query<RoundRuleRow, [number]>(
      `SELECT rr.rule_id, r.code, r.title, r.category, r.points, r.monthly_cap, r.active, rr.position
       FROM round_rules rr JOIN rules r ON r.id = rr.rule_id WHERE rr.round_id = ? ORDER BY rr.position`,
    )
    .all(roundId);
}

/** A round's households in door-plate order (src/rounds/door-order.ts). */
export function roundHouseholds(db: Database, roundId: number): RoundHouseholdRow[] {
  const rows = db
    .query<RoundHouseholdRow, [number]>(
      `SELECT h.id, h.head_name, h.address, h.door_key FROM round_households rh JOIN households h ON h.id = rh.household_id WHERE rh.round_id = ?`,
    )
    .all(roundId);
  return inDoorPlateOrder(rows.map((r) => ({ ...r, doorKey: r.door_key })));
}

export function hasHousehold(db: Database, roundId: number, householdId: number): boolean {
  return (
    db
      .query("SELECT 1 FROM round_households WHERE round_id = ? AND household_id = ?")
      .get(roundId, householdId) !== null
  );
}

export function hasRule(db: Database, roundId: number, ruleId: number): boolean {
  return (
    db
      .query("SELECT 1 FROM round_rules WHERE round_id = ? AND rule_id = ?")
      .get(roundId, ruleId) !== null
  );
}

export function roundScores(db: Database, roundId: number): ScoreRow[] {
  return db.query<ScoreRow, [number]>("SELECT * FROM round_scores WHERE round_id = ?").all(roundId);
}

/** Cells with a quantity above 0: what submitting records. */
export function scoredCount(db: Database, roundId: number): number {
  return db
    .query<{ n: number }, [number]>(
      "SELECT count(*) AS n FROM round_scores WHERE round_id = ? AND quantity > 0",
    )
    .get(roundId)!.n;
}

/** Sets a cell to exactly what is given (a PUT): the same values twice leave one cell. */
export function putScore(db: Database, s: ScoreRow): ScoreRow {
  return db
    .query<
      ScoreRow,
      [number, number, number, number, number | null, string | null, number, string]
    >(
      `INSERT INTO round_scores (round_id, household_id, rule_id, quantity, evidence_id, note, updated_at_ms, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (round_id, household_id, rule_id) DO UPDATE SET quantity = excluded.quantity, evidence_id = excluded.evidence_id, note = excluded.note,
         updated_at_ms = excluded.updated_at_ms, updated_by = excluded.updated_by
       RETURNING *`,
    )
    .get(
      s.round_id,
      s.household_id,
      s.rule_id,
      s.quantity,
      s.evidence_id,
      s.note,
      s.updated_at_ms,
      s.updated_by,
    )!;
}

export function markSubmitted(
  db: Database,
  roundId: number,
  by: string,
  nowMs: number,
  batchId: string,
  entries: number,
  points: number,
): void {
  db.query(
    "UPDATE rounds SET status = 'submitted', submitted_by = ?, submitted_at_ms = ?, batch_id = ?, entries_count = ?, points_total = ? WHERE id = ? AND status = 'draft'",
  ).run(by, nowMs, batchId, entries, points, roundId);
}

/** Removes a draft round and everything in it (cells first: they name its households and rules). */
export function deleteRoundRows(db: Database, roundId: number): void {
  db.query("DELETE FROM round_scores WHERE round_id = ?").run(roundId);
  db.query("DELETE FROM round_households WHERE round_id = ?").run(roundId);
  db.query("DELETE FROM round_rules WHERE round_id = ?").run(roundId);
  db.query("DELETE FROM rounds WHERE id = ?").run(roundId);
}

/** Every household of a village, by id (a round of the whole village). */
export function villageHouseholdIds(db: Database, villageId: number, max: number): number[] {
  return db
    .query<{ id: number }, [number, number]>(
      "SELECT id FROM households WHERE village_id = ? ORDER BY id LIMIT ?",
    )
    .all(villageId, max)
    .map((r) => r.id);
}
