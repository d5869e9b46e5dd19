import type { Database } from "bun:sqlite";
import { assert } from "../shared/assert.ts";
import { chainValues, entryHash, type ChainedFields } from "./chain.ts";

export type EntryKind = "award" | "deduction" | "redemption" | "reversal" | "expiry";
export type EntryStatus = "proposed" | "in_notice" | "disputed" | "posted" | "rejected" | "revoked";

export type EntryRow = ChainedFields & {
  id: number;
  village_id: number;
  household_id: number;
  kind: EntryKind;
  status: EntryStatus;
  points: number;
  notice_ends_at_ms: number | null;
  decided_reason: string | null;
  seq: number | null;
  hash: string | null;
  /** The evidence photo behind the entry; not hashed (migrations/0012), like is_claim. */
  evidence_id: number | null;
};

export type NewEntry = {
  villageId: number;
  householdId: number;
  memberId: number | null;
  ruleId: number | null;
  kind: EntryKind;
  status: Exclude<EntryStatus, "posted">;
  points: number;
  quantity: number;
  ruleCode: string | null;
  ruleTitle: string | null;
  category: string | null;
  note: string | null;
  occurredOn: string;
  reversesId: number | null;
  redemptionId: number | null;
  batchId: string | null;
  createdAtMs: number;
  createdBy: string;
  approvedBy: string | null;
  approvedAtMs: number | null;
  noticeEndsAtMs: number | null;
  /** An evidence photo of the entry's village; outside the hash chain. */
  evidenceId?: number | null;
  /** A deduction's suspension of redemptions, copied from its rule (src/ledger/suspension.ts); outside the hash chain. */
  suspendMonths?: number | null;
};

/** Inserts an entry that is not yet posted. Call inside the use case's transaction. */
export function insertEntry(db: Database, e: NewEntry): number {
  assert(Number.isSafeInteger(e.points) && e.points !== 0, "entry points must be a non-zero integer");
  const result = db
    .query<never, (string | number | null)[]>(
      `INSERT INTO entries (village_id, household_id, member_id, rule_id, kind, status, points, quantity, rule_code, rule_title, category, note,
         occurred_on, reverses_id, redemption_id, batch_id, created_at_ms, created_by, approved_by, approved_at_ms, notice_ends_at_ms, evidence_id, suspend_months)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      e.villageId,
      e.householdId,
      e.memberId,
      e.ruleId,
      e.kind,
      e.status,
      e.points,
      e.quantity,
      e.ruleCode,
      e.ruleTitle,
      e.category,
      e.note,
      e.occurredOn,
      e.reversesId,
      e.redemptionId,
      e.batchId,
      e.createdAtMs,
      e.createdBy,
      e.approvedBy,
      e.approvedAtMs,
      e.noticeEndsAtMs,
      e.evidenceId ?? null,
      e.suspendMonths ?? null,
    );
  // lastInsertRowid rather than RETURNING: the same id, without building a result row.
  return Number(result.lastInsertRowid);
}

export function findEntry(db: Database, id: number): EntryRow | null {
  return db.query<EntryRow, [number]>("SELECT * FROM entries WHERE id = ?").get(id);
}

/**
 * Posts an entry: it joins the hash chain, the household's balance moves by its points, and it
 * never changes again. Must run inside the caller's IMMEDIATE transaction, so the chain head and
 * the balance read here cannot be read by another writer before this one commits.
 */
export function postEntry(db: Database, entryId: number, nowMs: number): { seq: number; balanceAfter: number; hash: string } {
  const entry = findEntry(db, entryId);
  assert(entry !== null, `entry ${entryId} exists`);
  assert(entry.status !== "posted", `entry ${entryId} is not posted yet`);
  const head = db.query<{ seq: number; hash: string }, []>("SELECT seq, hash FROM ledger_head WHERE id = 1").get();
  assert(head !== null, "the ledger head row exists");
  const household = db.query<{ balance: number }, [number]>("SELECT balance FROM households WHERE id = ?").get(entry.household_id);
  assert(household !== null, "the entry's household exists");

  const seq = head.seq + 1;
  const balanceAfter = household.balance + entry.points;
  assert(Number.isSafeInteger(balanceAfter), "balance stays a safe integer");
  const fields: ChainedFields = { ...entry, seq, posted_at_ms: nowMs, balance_after: balanceAfter, prev_hash: head.hash };
  const hash = entryHash(chainValues(fields));

  db.query("UPDATE entries SET status = 'posted', seq = ?, posted_at_ms = ?, balance_after = ?, prev_hash = ?, hash = ? WHERE id = ?").run(seq, nowMs, balanceAfter, head.hash, hash, entryId);
  db.query("UPDATE households SET balance = ? WHERE id = ?").run(balanceAfter, entry.household_id);
  db.query("UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1").run(seq, hash);
  return { seq, balanceAfter, hash };
}

/**
 * Appends an entry that posts at once (a redemption, a void, a reversal, an expiry, an award in a
 * village without notice or approval) in ONE insert with its chain fields, instead of inserting
 * it unposted and updating it: every index of the entries table is maintained once, not twice.
 * The hash covers exactly the fields `postEntry` hashes, so the chain cannot tell the two apart.
 * Must run inside the caller's IMMEDIATE transaction.
 */
export function appendPostedEntry(
  db: Database,
  e: Omit<NewEntry, "status">,
  nowMs: number,
  options: { returnRow?: boolean } = {},
): { id: number; seq: number; balanceAfter: number; hash: string; row: EntryRow | null } {
  assert(Number.isSafeInteger(e.points) && e.points !== 0, "entry points must be a non-zero integer");
  // The chain head, the balance and the next id in one read. The id is chosen here because the
  // hash covers it; the write lock held by the transaction means no other writer can take it first.
  const now = db
    .query<{ seq: number | null; hash: string | null; balance: number | null; id: number }, [number]>(
      `SELECT (SELECT seq FROM ledger_head WHERE id = 1) AS seq, (SELECT hash FROM ledger_head WHERE id = 1) AS hash,
              (SELECT balance FROM households WHERE id = ?) AS balance, (SELECT coalesce(max(id), 0) + 1 FROM entries) AS id`,
    )
    .get(e.householdId)!;
  assert(now.seq !== null && now.hash !== null, "the ledger head row exists");
  assert(now.balance !== null, "the entry's household exists");
  const head = { seq: now.seq, hash: now.hash };
  const id = now.id;
  const seq = head.seq + 1;
  const balanceAfter = now.balance + e.points;
  assert(Number.isSafeInteger(balanceAfter), "balance stays a safe integer");
  const fields: ChainedFields = {
    seq,
    id,
    village_id: e.villageId,
    household_id: e.householdId,
    member_id: e.memberId,
    rule_id: e.ruleId,
    kind: e.kind,
    points: e.points,
    quantity: e.quantity,
    rule_code: e.ruleCode,
    rule_title: e.ruleTitle,
    category: e.category,
    note: e.note,
    occurred_on: e.occurredOn,
    reverses_id: e.reversesId,
    redemption_id: e.redemptionId,
    batch_id: e.batchId,
    created_at_ms: e.createdAtMs,
    created_by: e.createdBy,
    approved_by: e.approvedBy,
    approved_at_ms: e.approvedAtMs,
    posted_at_ms: nowMs,
    balance_after: balanceAfter,
    prev_hash: head.hash,
  };
  const hash = entryHash(chainValues(fields));
  const insert = db.query<EntryRow, (string | number | null)[]>(
    `INSERT INTO entries (id, village_id, household_id, member_id, rule_id, kind, status, points, quantity, rule_code, rule_title, category, note,
       occurred_on, reverses_id, redemption_id, batch_id, created_at_ms, created_by, approved_by, approved_at_ms, notice_ends_at_ms,
       posted_at_ms, seq, balance_after, prev_hash, hash, evidence_id, suspend_months)
     VALUES (?, ?, ?, ?, ?, ?, 'posted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)${options.returnRow ? " RETURNING *" : ""}`,
  );
  const values = [
    id, e.villageId, e.householdId, e.memberId, e.ruleId, e.kind, e.points, e.quantity, e.ruleCode, e.ruleTitle, e.category, e.note,
    e.occurredOn, e.reversesId, e.redemptionId, e.batchId, e.createdAtMs, e.createdBy, e.approvedBy, e.approvedAtMs, e.noticeEndsAtMs,
    nowMs, seq, balanceAfter, head.hash, hash, e.evidenceId ?? null, e.suspendMonths ?? null,
  ];
  // RETURNING answers the row as stored (defaults included) without a second read.
  const row = options.returnRow ? insert.get(...values) : (insert.run(...values), null);
  db.query("UPDATE households SET balance = ? WHERE id = ?").run(balanceAfter, e.householdId);
  db.query("UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1").run(seq, hash);
  return { id, seq, balanceAfter, hash, row };
}
