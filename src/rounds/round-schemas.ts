/** The shapes of rounds on the wire (zod, so the OpenAPI document and the staff pages' types follow them), and rows → answers. */
import type { Database } from "bun:sqlite";
import { z } from "zod";
import { Day, IdOut, toIso } from "../shared/schemas.ts";
import { IdIn } from "../ledger/entry-schemas.ts";
import { evidenceUrl } from "../ledger/evidence.ts";
import { actorDisplayNames } from "../auth/actor-names.ts";
import { ROUND_HOUSEHOLDS_MAX, ROUND_RULES_MAX, SCORE_QUANTITY_MAX } from "./round.ts";
import {
  roundHouseholds,
  roundRules,
  roundScores,
  scoredCount,
  type RoundRow,
  type ScoreRow,
} from "./round-store.ts";

const RoundName = z.string().trim().min(1).max(60);

export const CreateRoundBody = z.strictObject({
  name: RoundName.describe("e.g. 2026年3月人居环境评比"),
  day: Day.describe(
    "the day of the inspection (YYYY-MM-DD, Asia/Shanghai), not in the future: every entry of the round occurs on it",
  ),
  ruleIds: z
    .array(IdIn)
    .min(1)
    .max(ROUND_RULES_MAX)
    .describe("active rules of the village, in the grid's column order"),
  householdIds: z
    .array(IdIn)
    .min(1)
    .max(ROUND_HOUSEHOLDS_MAX)
    .optional()
    .describe(
      `households of the village; default every household (at most ${ROUND_HOUSEHOLDS_MAX})`,
    ),
});

export const CopyRoundBody = z.strictObject({ name: RoundName, day: Day });

/** A note may come back empty from a text box: empty means none. An evidenceId of null means none. */
export const ScoreBody = z.strictObject({
  quantity: z
    .number()
    .int()
    .min(0)
    .max(SCORE_QUANTITY_MAX)
    .describe("how many times the rule applies; 0 clears the cell"),
  evidenceId: IdIn.nullable()
    .optional()
    .describe(
      "an evidence photo of the round's village (POST /api/villages/:villageId/evidence), e.g. for a deduction",
    ),
  note: z.string().trim().max(500).nullable().optional(),
});

export const RoundSummarySchema = z.object({
  id: IdOut,
  villageId: IdOut,
  name: z.string(),
  day: z.string(),
  status: z.enum(["draft", "submitted"]),
  rules: z.number().int(),
  households: z.number().int(),
  scored: z.number().int().describe("cells with a quantity above 0"),
  createdBy: z.string().describe("who made the round, as people read it"),
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
  submittedBy: z.string().nullable(),
  batchId: z
    .string()
    .nullable()
    .describe(
      "the ledger batch of the round's entries (POST /api/entries/batches/:batchId/undo takes them back)",
    ),
  entries: z.number().int().describe("entries recorded when it was submitted"),
  points: z.number().int().describe("their points, summed"),
});
export type RoundSummary = z.infer<typeof RoundSummarySchema>;

export const RoundRuleSchema = z.object({
  ruleId: IdOut,
  code: z.string(),
  title: z.string(),
  category: z.string(),
  points: z.number().int(),
  active: z.boolean(),
});
export const RoundHouseholdSchema = z.object({
  householdId: IdOut,
  headName: z.string(),
  address: z.string(),
});
export const ScoreSchema = z.object({
  householdId: IdOut,
  ruleId: IdOut,
  quantity: z.number().int(),
  evidenceId: IdOut.nullable(),
  evidenceUrl: z.string().nullable(),
  note: z.string().nullable(),
  updatedAt: z.string(),
  updatedBy: z.string().describe("who set the cell last, as people read it"),
});

export const RoundDetailSchema = z.object({
  round: RoundSummarySchema.extend({
    rules: z.array(RoundRuleSchema).describe("in the grid's column order"),
    households: z
      .array(RoundHouseholdSchema)
      .describe(
        "in door-plate order: by the address's group and door numbers, addresses without numbers last, then by id",
      ),
  }),
  scores: z.array(ScoreSchema),
});

export function roundSummaries(db: Database, rows: readonly RoundRow[]): RoundSummary[] {
  const names = actorDisplayNames(
    db,
    rows.flatMap((r) => [r.created_by, r.submitted_by]),
  );
  return rows.map((r) => ({
    id: String(r.id),
    villageId: String(r.village_id),
    name: r.name,
    day: r.day,
    status: r.status,
    rules: r.rules_count,
    households: r.households_count,
    scored: scoredCount(db, r.id),
    createdBy: names.get(r.created_by) ?? r.created_by,
    createdAt: toIso(r.created_at_ms),
    submittedAt: r.submitted_at_ms === null ? null : toIso(r.submitted_at_ms),
    submittedBy: r.submitted_by === null ? null : (names.get(r.submitted_by) ?? r.submitted_by),
    batchId: r.batch_id,
    entries: r.entries_count,
    points: r.points_total,
  }));
}

export function roundSummary(db: Database, row: RoundRow): RoundSummary {
  return roundSummaries(db, [row])[0]!;
}

export function scoresOut(db: Database, rows: readonly ScoreRow[]): z.infer<typeof ScoreSchema>[] {
  const names = actorDisplayNames(
    db,
    rows.map((s) => s.updated_by),
  );
  return rows.map((s) => ({
    householdId: String(s.household_id),
    ruleId: String(s.rule_id),
    quantity: s.quantity,
    evidenceId: s.evidence_id === null ? null : String(s.evidence_id),
    evidenceUrl: s.evidence_id === null ? null : evidenceUrl(s.evidence_id),
    note: s.note,
    updatedAt: toIso(s.updated_at_ms),
    updatedBy: names.get(s.updated_by) ?? s.updated_by,
  }));
}

export function roundDetail(db: Database, row: RoundRow): z.infer<typeof RoundDetailSchema> {
  const rules = roundRules(db, row.id).map((r) => ({
    ruleId: String(r.rule_id),
    code: r.code,
    title: r.title,
    category: r.category,
    points: r.points,
    active: r.active === 1,
  }));
  const households = roundHouseholds(db, row.id).map((h) => ({
    householdId: String(h.id),
    headName: h.head_name,
    address: h.address,
  }));
  return {
    round: { ...roundSummary(db, row), rules, households },
    scores: scoresOut(db, roundScores(db, row.id)),
  };
}
