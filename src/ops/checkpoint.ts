/**
 * Checkpoints of the ledger's hash chain: once a Shanghai day the server writes down the chain's
 * head (how many entries, the last one's hash) and a digest of every household's balance, after
 * verifying everything since the checkpoint before. `bun run verify --since-checkpoint` then walks
 * only what came after the last one. The digest and the checkpoint's own hash are defined here,
 * in plain terms, so anyone can recompute them from a copy (docs/operations.md shows how).
 */
import type { Database } from "bun:sqlite";
import { GENESIS_HASH, hashEncoded } from "../ledger/chain.ts";
import { shanghaiDay } from "../shared/calendar.ts";

export type Checkpoint = {
  id: number;
  /** The Shanghai day it was taken, YYYY-MM-DD; one a day. */
  day: string;
  /** How many posted entries were chained: the head is entry `seq`. */
  seq: number;
  head: string;
  /** Every household that existed: how many, and the highest id (ids only grow; none is deleted). */
  households: number;
  lastHouseholdId: number;
  balancesDigest: string;
  createdAtMs: number;
  /** The previous checkpoint's hash (GENESIS_HASH for the first), and this one's. */
  prevHash: string;
  hash: string;
};

/** What a checkpoint stands on before it has an id and a hash. */
export type CheckpointFields = Omit<Checkpoint, "id" | "hash">;

/** The empty ledger: no entry, no household. Verifying "since" it is the full verify. */
export const GENESIS_ANCHOR: Pick<
  Checkpoint,
  "seq" | "head" | "households" | "lastHouseholdId" | "balancesDigest" | "hash"
> = {
  seq: 0,
  head: GENESIS_HASH,
  households: 0,
  lastHouseholdId: 0,
  balancesDigest: new Bun.CryptoHasher("sha256").digest("hex"),
  hash: GENESIS_HASH,
};

/**
 * SHA-256 over one line per household in id order, `<id> <balance>\n` (decimal, ASCII). In SQL:
 * `SELECT group_concat(id || ' ' || balance || char(10), '') FROM (SELECT id, balance FROM households ORDER BY id)`.
 */
export class BalancesDigest {
  private readonly hasher = new Bun.CryptoHasher("sha256");
  count = 0;
  lastId = 0;
  add(id: number, balance: number): void {
    this.hasher.update(`${id} ${balance}\n`);
    this.count++;
    this.lastId = id;
  }
  digest(): string {
    return this.hasher.digest("hex");
  }
}

/** The checkpoint's own hash: SHA-256 of the JSON array of its fields in this order. */
export function checkpointHash(c: CheckpointFields): string {
  return hashEncoded(
    JSON.stringify([
      c.day,
      c.seq,
      c.head,
      c.households,
      c.lastHouseholdId,
      c.balancesDigest,
      c.createdAtMs,
      c.prevHash,
    ]),
  );
}

type CheckpointRow = {
  id: number;
  day: string;
  seq: number;
  head: string;
  households: number;
  last_household_id: number;
  balances_digest: string;
  created_at_ms: number;
  prev_hash: string;
  hash: string;
};

function fromRow(r: CheckpointRow): Checkpoint {
  return {
    id: r.id,
    day: r.day,
    seq: r.seq,
    head: r.head,
    households: r.households,
    lastHouseholdId: r.last_household_id,
    balancesDigest: r.balances_digest,
    createdAtMs: r.created_at_ms,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Whether the database has the checkpoints table (a copy made before migration 0018 has not). */
export function hasCheckpoints(db: Database): boolean {
  return (
    db
      .query<{ n: number }, []>(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'chain_checkpoints'",
      )
      .get()!.n === 1
  );
}

/** Every checkpoint, oldest first (one a day: a few hundred a year). */
export function allCheckpoints(db: Database): Checkpoint[] {
  if (!hasCheckpoints(db)) return [];
  return db
    .query<CheckpointRow, []>("SELECT * FROM chain_checkpoints ORDER BY id")
    .all()
    .map(fromRow);
}

export function lastCheckpoint(db: Database): Checkpoint | null {
  if (!hasCheckpoints(db)) return null;
  const row = db
    .query<CheckpointRow, []>("SELECT * FROM chain_checkpoints ORDER BY id DESC LIMIT 1")
    .get();
  return row === null ? null : fromRow(row);
}

export function checkpointOfDay(db: Database, day: string): Checkpoint | null {
  if (!hasCheckpoints(db)) return null;
  const row = db
    .query<CheckpointRow, [string]>("SELECT * FROM chain_checkpoints WHERE day = ?")
    .get(day);
  return row === null ? null : fromRow(row);
}

/** Writes a checkpoint after the last one; the caller holds the write lock (immediate()). */
export function insertCheckpoint(db: Database, fields: CheckpointFields): Checkpoint {
  const hash = checkpointHash(fields);
  const id = db
    .query<
      { id: number },
      [string, number, string, number, number, string, number, string, string]
    >(
      `INSERT INTO chain_checkpoints (day, seq, head, households, last_household_id, balances_digest, created_at_ms, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .get(
      fields.day,
      fields.seq,
      fields.head,
      fields.households,
      fields.lastHouseholdId,
      fields.balancesDigest,
      fields.createdAtMs,
      fields.prevHash,
      hash,
    )!.id;
  return { ...fields, id, hash };
}

/**
 * What the public board shows of the checkpoints: the last one (today's once the daily job has
 * run), so a printed board can be compared with the chain later. Null before the first.
 */
export function boardCheckpoint(
  db: Database,
  nowMs: number,
): { day: string; entries: number; head: string; today: boolean } | null {
  const c = lastCheckpoint(db);
  return c === null
    ? null
    : { day: c.day, entries: c.seq, head: c.head, today: c.day === shanghaiDay(nowMs) };
}
