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

/**
 * A new entry. What every entry says is required; the rest is null unless given (`quantity` 1),
 * so a use case names only what its kind of entry carries.
 */
export type NewEntry = {
  villageId: number;
  householdId: number;
  kind: EntryKind;
  status: Exclude<EntryStatus, "posted">;
  points: number;
  occurredOn: string;
  createdAtMs: number;
  createdBy: string;
  memberId?: number | null;
  ruleId?: number | null;
  quantity?: number;
  ruleCode?: string | null;
  ruleTitle?: string | null;
  category?: string | null;
  note?: string | null;
  reversesId?: number | null;
  redemptionId?: number | null;
  batchId?: string | null;
  approvedBy?: string | null;
  approvedAtMs?: number | null;
  noticeEndsAtMs?: number | null;
  /** An evidence photo of the entry's village; outside the hash chain. */
  evidenceId?: number | null;
  /** A deduction's suspension of redemptions, copied from its rule (src/ledger/suspension.ts); outside the hash chain. */
  suspendMonths?: number | null;
};

/** An entry's hashed columns before it is linked into the chain: a stored row, or a new entry's. */
type Unlinked = Omit<
  ChainedFields,
  "seq" | "id" | "posted_at_ms" | "balance_after" | "prev_hash"
> & { household_id: number; points: number };

/** The columns a new entry writes, by name: the one mapping of NewEntry to the entries table. */
type EntryColumns = Unlinked & {
  notice_ends_at_ms: number | null;
  evidence_id: number | null;
  suspend_months: number | null;
};

function columnsOf(e: Omit<NewEntry, "status">): EntryColumns {
  assert(
    Number.isSafeInteger(e.points) && e.points !== 0,
    "entry points must be a non-zero integer",
  );
  return {
    village_id: e.villageId,
    household_id: e.householdId,
    member_id: e.memberId ?? null,
    rule_id: e.ruleId ?? null,
    kind: e.kind,
    points: e.points,
    quantity: e.quantity ?? 1,
    rule_code: e.ruleCode ?? null,
    rule_title: e.ruleTitle ?? null,
    category: e.category ?? null,
    note: e.note ?? null,
    occurred_on: e.occurredOn,
    reverses_id: e.reversesId ?? null,
    redemption_id: e.redemptionId ?? null,
    batch_id: e.batchId ?? null,
    created_at_ms: e.createdAtMs,
    created_by: e.createdBy,
    approved_by: e.approvedBy ?? null,
    approved_at_ms: e.approvedAtMs ?? null,
    notice_ends_at_ms: e.noticeEndsAtMs ?? null,
    evidence_id: e.evidenceId ?? null,
    suspend_months: e.suspendMonths ?? null,
  };
}

type Values = (string | number | null)[];

/** `INSERT INTO entries` of the given columns, with their values in the same order. */
function insertSql(
  columns: Record<string, string | number | null>,
  returning: boolean,
): { sql: string; values: Values } {
  const names = Object.keys(columns);
  return {
    sql: `INSERT INTO entries (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})${returning ? " RETURNING *" : ""}`,
    values: Object.values(columns),
  };
}

/** Inserts an entry that is not yet posted. Call inside the use case's transaction. */
export function insertEntry(db: Database, e: NewEntry): number {
  const { sql, values } = insertSql({ ...columnsOf(e), status: e.status }, false);
  // lastInsertRowid rather than RETURNING: the same id, without building a result row.
  return Number(db.query<never, Values>(sql).run(...values).lastInsertRowid);
}

export function findEntry(db: Database, id: number): EntryRow | null {
  return db.query<EntryRow, [number]>("SELECT * FROM entries WHERE id = ?").get(id);
}

/** Where an entry joins the chain: its sequence number, the hash before it, the balance after it. */
type Link = {
  seq: number;
  prev_hash: string;
  balance_after: number;
  posted_at_ms: number;
  hash: string;
};

/**
 * The one place an entry is linked into the chain, for `postEntry` and `appendPostedEntry` alike:
 * reads the chain head and the household's balance (and the next free entry id, which the hash
 * covers for a new entry), and hashes the entry's columns with its link. Must run inside the
 * caller's IMMEDIATE transaction, so no other writer can read the same head or balance, or take
 * the same id, before this one commits.
 */
function linkOf(
  db: Database,
  columns: Unlinked,
  id: number | null,
  nowMs: number,
): { id: number; link: Link } {
  const now = db
    .query<
      { seq: number | null; hash: string | null; balance: number | null; id: number },
      [number]
    >(
      `SELECT (SELECT seq FROM ledger_head WHERE id = 1) AS seq, (SELECT hash FROM ledger_head WHERE id = 1) AS hash,
              (SELECT balance FROM households WHERE id = ?) AS balance, (SELECT coalesce(max(id), 0) + 1 FROM entries) AS id`,
    )
    .get(columns.household_id)!;
  assert(now.seq !== null && now.hash !== null, "the ledger head row exists");
  assert(now.balance !== null, "the entry's household exists");
  const entryId = id ?? now.id;
  const balanceAfter = now.balance + columns.points;
  assert(Number.isSafeInteger(balanceAfter), "balance stays a safe integer");
  const unhashed = {
    seq: now.seq + 1,
    prev_hash: now.hash,
    balance_after: balanceAfter,
    posted_at_ms: nowMs,
  };
  const hash = entryHash(chainValues({ ...columns, ...unhashed, id: entryId }));
  return { id: entryId, link: { ...unhashed, hash } };
}

/** Moves the household's balance and the chain head to a newly linked entry. */
function advance(db: Database, householdId: number, link: Link): void {
  db.query("UPDATE households SET balance = ? WHERE id = ?").run(link.balance_after, householdId);
  db.query("UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1").run(link.seq, link.hash);
}

/**
 * Posts an entry: it joins the hash chain, the household's balance moves by its points, and it
 * never changes again. Must run inside the caller's IMMEDIATE transaction.
 */
export function postEntry(
  db: Database,
  entryId: number,
  nowMs: number,
): { seq: number; balanceAfter: number; hash: string } {
  const entry = findEntry(db, entryId);
  assert(entry !== null, `entry ${entryId} exists`);
  assert(entry.status !== "posted", `entry ${entryId} is not posted yet`);
  const { link } = linkOf(db, entry, entryId, nowMs);
  db.query(
    "UPDATE entries SET status = 'posted', seq = ?, posted_at_ms = ?, balance_after = ?, prev_hash = ?, hash = ? WHERE id = ?",
  ).run(link.seq, nowMs, link.balance_after, link.prev_hash, link.hash, entryId);
  advance(db, entry.household_id, link);
  return { seq: link.seq, balanceAfter: link.balance_after, hash: link.hash };
}

/**
 * Appends an entry that posts at once (a redemption, a void, a reversal, an expiry, an award in a
 * village without notice or approval) in ONE insert with its chain fields, instead of inserting
 * it unposted and updating it: every index of the entries table is maintained once, not twice.
 * Linked by the same `linkOf` as `postEntry`, so the chain cannot tell the two apart. Must run
 * inside the caller's IMMEDIATE transaction.
 */
export function appendPostedEntry(
  db: Database,
  e: Omit<NewEntry, "status">,
  nowMs: number,
  options: { returnRow?: boolean } = {},
): { id: number; seq: number; balanceAfter: number; hash: string; row: EntryRow | null } {
  const columns = columnsOf(e);
  const { id, link } = linkOf(db, columns, null, nowMs);
  const { sql, values } = insertSql(
    { id, ...columns, status: "posted", ...link },
    options.returnRow === true,
  );
  const insert = db.query<EntryRow, Values>(sql);
  // RETURNING answers the row as stored (defaults included) without a second read.
  const row = options.returnRow ? insert.get(...values) : (insert.run(...values), null);
  advance(db, e.householdId, link);
  return { id, seq: link.seq, balanceAfter: link.balance_after, hash: link.hash, row };
}
