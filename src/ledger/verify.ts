import type { Database } from "bun:sqlite";
import { CANONICAL_SQL, CHAINED_COLUMNS, entryHash, GENESIS_HASH, hashEncoded, type ChainValue } from "./chain.ts";

export type VerifyResult =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; head: string; brokenAt: { seq: number; entryId: number | null; reason: string } };

export type Break = { seq: number; entryId: number | null; reason: string };

/** What one walk over a range of sequence numbers found; ranges are joined by `joinRanges`. */
export type RangeResult = { fromSeq: number; toSeq: number; count: number; firstPrevHash: string | null; lastHash: string | null; broken: Break | null };

const BATCH_ROWS = 50_000;

/**
 * Walks posted entries with fromSeq ≤ seq ≤ toSeq in sequence order: each must be there, link to
 * the one before it inside the range, and hash to its stored hash. The first entry's link is left
 * to the caller (`firstPrevHash`), so ranges can be walked in parallel and joined.
 */
export function verifySeqRange(db: Database, fromSeq: number, toSeq: number): RangeResult {
  const page = db.query<[number, number, string, string, string], [number, number, number]>(
    `SELECT seq, id, prev_hash, hash, ${CANONICAL_SQL} FROM entries WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?`,
  );
  const slow = db.query<Record<string, ChainValue>, [number]>(`SELECT ${CHAINED_COLUMNS.join(", ")} FROM entries WHERE seq = ?`);
  let expectedSeq = fromSeq;
  let prevHash: string | null = null;
  let firstPrevHash: string | null = null;
  let count = 0;
  const result = (broken: Break | null): RangeResult => ({ fromSeq, toSeq, count, firstPrevHash, lastHash: prevHash, broken });

  while (expectedSeq <= toSeq) {
    const rows = page.values(expectedSeq, toSeq, BATCH_ROWS) as [number, number, string, string, string][];
    if (rows.length === 0) break;
    for (const [seq, id, prev, stored, encoded] of rows) {
      if (seq !== expectedSeq) return result({ seq: expectedSeq, entryId: null, reason: `entry with sequence ${expectedSeq} is missing (next is ${seq})` });
      if (prevHash === null) firstPrevHash = prev;
      else if (prev !== prevHash) return result({ seq, entryId: id, reason: "its previous hash does not match the entry before it" });
      if (hashEncoded(encoded) !== stored) {
        // The slow, authoritative path: the same encoding postEntry hashed, built in JavaScript.
        const row = slow.get(seq)!;
        if (entryHash(CHAINED_COLUMNS.map((c) => row[c] ?? null)) !== stored) return result({ seq, entryId: id, reason: "its contents do not match its hash" });
      }
      prevHash = stored;
      expectedSeq++;
      count++;
    }
  }
  if (expectedSeq <= toSeq) return result({ seq: expectedSeq, entryId: null, reason: `entry with sequence ${expectedSeq} is missing` });
  return result(null);
}

/** Joins ranges walked in order: each must start where the previous one ended. */
export function joinRanges(ranges: readonly RangeResult[]): { count: number; head: string; broken: Break | null } {
  let head = GENESIS_HASH;
  let count = 0;
  for (const r of ranges) {
    if (r.count > 0 && r.firstPrevHash !== head) return { count, head, broken: { seq: r.fromSeq, entryId: null, reason: "its previous hash does not match the entry before it" } };
    if (r.broken) return { count: count + r.count, head: r.lastHash ?? head, broken: r.broken };
    count += r.count;
    head = r.lastHash ?? head;
  }
  return { count, head, broken: null };
}

export function readHead(db: Database): { seq: number; hash: string } {
  return db.query<{ seq: number; hash: string }, []>("SELECT seq, hash FROM ledger_head WHERE id = 1").get() ?? { seq: 0, hash: GENESIS_HASH };
}

/** The checks after the chain: the head row names the last entry, and every balance is its entries' sum. */
export function finishVerify(db: Database, joined: { count: number; head: string; broken: Break | null }): VerifyResult {
  const { count, head: prevHash } = joined;
  if (joined.broken) return { ok: false, entries: count, head: prevHash, brokenAt: joined.broken };
  const broken = (seq: number, reason: string): VerifyResult => ({ ok: false, entries: count, head: prevHash, brokenAt: { seq, entryId: null, reason } });
  const last = db.query<{ seq: number | null }, []>("SELECT max(seq) AS seq FROM entries").get()?.seq ?? 0;
  if (last > count) return broken(count + 1, `an entry with sequence ${last} lies beyond the chain's head`);
  const head = readHead(db);
  if (head.seq !== count || head.hash !== prevHash) return broken(count + 1, "the chain's head does not match its last entry (an entry was removed from the end?)");
  const mismatch = db
    .query<{ id: number; balance: number; total: number }, []>(
      `SELECT h.id, h.balance, coalesce(t.total, 0) AS total FROM households h
       LEFT JOIN (SELECT household_id, sum(points) AS total FROM entries WHERE status = 'posted' GROUP BY household_id) t ON t.household_id = h.id
       WHERE h.balance <> coalesce(t.total, 0) LIMIT 1`,
    )
    .get();
  if (mismatch) return broken(count, `household ${mismatch.id} has balance ${mismatch.balance} but its posted entries sum to ${mismatch.total}`);
  return { ok: true, entries: count, head: prevHash };
}

/**
 * Walks the chain in sequence order and recomputes every hash; then checks that each household's
 * stored balance equals the sum of its posted entries and that the head row names the last entry.
 * Reads only: it runs on a live database or on a copy. `verifyLedgerFile` does the same on two
 * cores for the offline `bun run verify`.
 */
export function verifyLedger(db: Database): VerifyResult {
  // Up to the head, and one past it so an entry appended behind the server's back is found too.
  const last = Math.max(readHead(db).seq, db.query<{ seq: number | null }, []>("SELECT max(seq) AS seq FROM entries").get()?.seq ?? 0);
  return finishVerify(db, joinRanges([verifySeqRange(db, 1, last)]));
}
