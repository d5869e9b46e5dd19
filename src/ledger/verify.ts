import type { Database } from "bun:sqlite";
import { CHAINED_COLUMNS, entryHash, GENESIS_HASH, type ChainValue } from "./chain.ts";

export type VerifyResult =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; head: string; brokenAt: { seq: number; entryId: number | null; reason: string } };

const BATCH_ROWS = 20_000;

/**
 * Walks the chain in sequence order and recomputes every hash; then checks that each household's
 * stored balance equals the sum of its posted entries and that the head row names the last entry.
 * Reads only: it runs on a live database or on a copy.
 */
export function verifyLedger(db: Database): VerifyResult {
  const seqIndex = CHAINED_COLUMNS.indexOf("seq");
  const idIndex = CHAINED_COLUMNS.indexOf("id");
  const prevIndex = CHAINED_COLUMNS.indexOf("prev_hash");
  const columns = [...CHAINED_COLUMNS, "hash"].join(", ");
  const page = db.query<Record<string, ChainValue>, [number, number]>(`SELECT ${columns} FROM entries WHERE seq > ? ORDER BY seq LIMIT ?`);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  const broken = (seq: number, entryId: number | null, reason: string): VerifyResult => ({ ok: false, entries: count, head: prevHash, brokenAt: { seq, entryId, reason } });

  for (;;) {
    const rows = page.values(expectedSeq - 1, BATCH_ROWS) as ChainValue[][];
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = row[seqIndex] as number;
      const id = row[idIndex] as number;
      const stored = row[CHAINED_COLUMNS.length] as string;
      if (seq !== expectedSeq) return broken(expectedSeq, null, `entry with sequence ${expectedSeq} is missing (next is ${seq})`);
      if (row[prevIndex] !== prevHash) return broken(seq, id, "its previous hash does not match the entry before it");
      if (entryHash(row.slice(0, CHAINED_COLUMNS.length)) !== stored) return broken(seq, id, "its contents do not match its hash");
      prevHash = stored;
      expectedSeq++;
      count++;
    }
  }
  const head = db.query<{ seq: number; hash: string }, []>("SELECT seq, hash FROM ledger_head WHERE id = 1").get();
  if (!head || head.seq !== count || head.hash !== prevHash) return broken(count + 1, null, "the chain's head does not match its last entry (an entry was removed from the end?)");
  const mismatch = db
    .query<{ id: number; balance: number; total: number }, []>(
      `SELECT h.id, h.balance, coalesce(sum(e.points), 0) AS total FROM households h
       LEFT JOIN entries e ON e.household_id = h.id AND e.status = 'posted'
       GROUP BY h.id HAVING h.balance <> total LIMIT 1`,
    )
    .get();
  if (mismatch) return broken(count, null, `household ${mismatch.id} has balance ${mismatch.balance} but its posted entries sum to ${mismatch.total}`);
  return { ok: true, entries: count, head: prevHash };
}
