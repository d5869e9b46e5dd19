import type { Database } from "bun:sqlite";
import { z } from "zod";
import { Day, Id, IdOut, toIso } from "../shared/schemas.ts";
import { actorNames, headNamesOf, type EntryView } from "./history.ts";
import { evidenceUrl } from "./evidence.ts";
import { BATCH_HOUSEHOLDS_MAX, QUANTITY_MAX } from "./entry.ts";

/** Ids are strings on the wire; a plain positive integer is accepted too, as clients often send one. */
export const IdIn = z.union([Id, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)]);

export const ENTRY_KINDS = ["award", "deduction", "redemption", "reversal", "expiry"] as const;
export const ENTRY_STATUSES = [
  "proposed",
  "in_notice",
  "disputed",
  "posted",
  "rejected",
  "revoked",
] as const;

export const Reason = z.string().trim().min(1).max(500);
export const Quantity = z.number().int().min(1).max(QUANTITY_MAX);
export const Note = z.string().trim().min(1).max(500);

export const EntrySchema = z.object({
  id: IdOut,
  villageId: IdOut,
  householdId: IdOut,
  memberId: IdOut.nullable(),
  ruleId: IdOut.nullable(),
  ruleCode: z.string().nullable(),
  ruleTitle: z.string().nullable(),
  category: z.string().nullable(),
  kind: z.enum(ENTRY_KINDS),
  status: z.enum(ENTRY_STATUSES),
  points: z.number().int(),
  quantity: z.number().int(),
  note: z.string().nullable(),
  occurredOn: z.string(),
  isClaim: z.boolean(),
  batchId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().describe("who recorded it, as people read it (a kiosk by its name)"),
  createdByUsername: z
    .string()
    .describe(
      "who recorded it as stored (a staff member's username): an entry is approved by someone else",
    ),
  householdName: z.string().describe("the head of the household's full name"),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  noticeEndsAt: z.string().nullable(),
  decidedReason: z.string().nullable(),
  postedAt: z.string().nullable(),
  balanceAfter: z
    .number()
    .int()
    .nullable()
    .describe("the household's balance after this entry; only on posted entries"),
  seq: z.number().int().nullable(),
  hash: z.string().nullable(),
  reversesId: IdOut.nullable(),
  reversedById: IdOut.nullable(),
  redemptionId: IdOut.nullable(),
  evidenceUrl: z
    .string()
    .nullable()
    .describe("the evidence photo (GET /api/evidence/:id), or null"),
});
export type EntryOut = z.infer<typeof EntrySchema>;

const idOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const isoOrNull = (v: unknown): string | null => (typeof v === "number" ? toIso(v) : null);

export function entriesOut(db: Database, rows: readonly EntryView[]): EntryOut[] {
  const names = actorNames(
    db,
    rows.flatMap((r) => [r.created_by as string, r.approved_by as string | null]),
  );
  const heads = headNamesOf(
    db,
    rows.map((r) => r.household_id),
  );
  return rows.map((r) => ({
    id: String(r.id),
    villageId: String(r.village_id),
    householdId: String(r.household_id),
    memberId: idOrNull(r.member_id),
    ruleId: idOrNull(r.rule_id),
    ruleCode: r.rule_code as string | null,
    ruleTitle: r.rule_title as string | null,
    category: r.category as string | null,
    kind: r.kind,
    status: r.status,
    points: r.points,
    quantity: r.quantity as number,
    note: r.note as string | null,
    occurredOn: r.occurred_on as string,
    isClaim: r.is_claim === 1,
    batchId: r.batch_id as string | null,
    createdAt: toIso(r.created_at_ms as number),
    createdBy: names.get(r.created_by as string) ?? String(r.created_by),
    createdByUsername: String(r.created_by),
    householdName: heads.get(r.household_id) ?? "",
    approvedBy:
      r.approved_by === null ? null : (names.get(r.approved_by as string) ?? String(r.approved_by)),
    approvedAt: isoOrNull(r.approved_at_ms),
    noticeEndsAt: isoOrNull(r.notice_ends_at_ms),
    decidedReason: r.decided_reason,
    postedAt: isoOrNull(r.posted_at_ms),
    balanceAfter: r.status === "posted" ? (r.balance_after as number) : null,
    seq: r.seq,
    hash: r.hash,
    reversesId: idOrNull(r.reverses_id),
    reversedById: idOrNull(r.reversed_by_id),
    redemptionId: idOrNull(r.redemption_id),
    evidenceUrl:
      r.evidence_id === null || r.evidence_id === undefined ? null : evidenceUrl(r.evidence_id),
  }));
}

export const CreateEntryBody = z.strictObject({
  householdId: IdIn,
  ruleId: IdIn,
  quantity: Quantity.optional(),
  memberId: IdIn.optional(),
  note: Note.optional(),
  occurredOn: Day.optional(),
  claim: z
    .boolean()
    .optional()
    .describe(
      "true for a villager's claim (申报): it enters as proposed and needs approval by another staff member",
    ),
  evidenceId: IdIn.optional().describe(
    "an evidence photo of the household's village (POST /api/villages/:villageId/evidence)",
  ),
});

export const BatchBody = z.strictObject({
  ruleId: IdIn,
  householdIds: z.array(IdIn).min(1).max(BATCH_HOUSEHOLDS_MAX),
  quantity: Quantity.optional(),
  note: Note.optional(),
  occurredOn: Day.optional(),
  claim: z
    .boolean()
    .optional()
    .describe(
      "true records every entry as a villager's claim (申报): proposed, approved by another staff member",
    ),
  evidenceId: IdIn.optional().describe(
    "an evidence photo of the rule's village, named by every entry of the batch",
  ),
});
