/**
 * Verify since a checkpoint: the checkpoints' own chain is sound, each checkpoint is on the
 * ledger's chain (entry `seq` has the hash it names), and the entries after the anchor (the last
 * checkpoint, or the empty ledger) link to it, hash right, end at the head row, and account for
 * every balance: each household's balance minus what its entries since the anchor added must give
 * back, household by household, the digest the anchor wrote down. Reads only; the caller holds
 * one read snapshot (a transaction) so the head, the entries and the balances agree.
 */
import type { Database } from "bun:sqlite";
import { GENESIS_HASH } from "../ledger/chain.ts";
import { readHead, verifySeqRange, type Break } from "../ledger/verify.ts";
import {
  allCheckpoints,
  BalancesDigest,
  checkpointHash,
  GENESIS_ANCHOR,
  type Checkpoint,
} from "./checkpoint.ts";

export type SinceOk = {
  ok: true;
  /** The checkpoint walked from; null when there was none (or a full walk was asked for). */
  anchor: Checkpoint | null;
  /** Every checkpoint found, all checked. */
  checkpoints: number;
  /** Posted entries chained in all, and how many of them were walked now. */
  entries: number;
  walked: number;
  head: string;
  /** The state now, ready to be written down as the next checkpoint. */
  households: number;
  lastHouseholdId: number;
  balancesDigest: string;
};
export type SinceBroken = {
  ok: false;
  anchor: Checkpoint | null;
  checkpoints: number;
  entries: number;
  walked: number;
  head: string;
  brokenAt: Break;
};
export type SinceResult = SinceOk | SinceBroken;

/** Checks the checkpoints' own chain and that each one is on the ledger's chain. */
export function checkCheckpoints(db: Database, checkpoints: readonly Checkpoint[]): Break | null {
  const hashOf = db.query<{ hash: string }, [number]>("SELECT hash FROM entries WHERE seq = ?");
  let prev: Checkpoint | null = null;
  for (const c of checkpoints) {
    const where = `the checkpoint of ${c.day}`;
    const broken = (reason: string): Break => ({
      seq: c.seq,
      entryId: null,
      reason: `${where} ${reason}`,
    });
    if (checkpointHash(c) !== c.hash) return broken("does not match its own hash: it was edited");
    if (c.prevHash !== (prev?.hash ?? GENESIS_HASH))
      return broken(
        "does not follow the checkpoint before it: one was inserted, edited or removed",
      );
    if (prev !== null && (c.seq < prev.seq || c.day <= prev.day))
      return broken("goes back in time from the checkpoint before it");
    const onChain = c.seq === 0 ? GENESIS_HASH : hashOf.get(c.seq)?.hash;
    if (onChain !== c.head) {
      return broken(
        `names head ${c.head.slice(0, 16)}… at sequence ${c.seq}, but ${onChain === undefined ? "there is no such entry" : `that entry's hash is ${onChain.slice(0, 16)}…`}: the checkpoint is not on the chain (forged), or the chain up to it was rewritten`,
      );
    }
    prev = c;
  }
  return null;
}

/**
 * Verifies from the last checkpoint (or from the empty ledger when `full` or when there is none)
 * to the head. With the empty ledger as anchor this is the whole of `verifyLedger`'s check.
 */
export function verifySince(db: Database, options: { full?: boolean } = {}): SinceResult {
  const checkpoints = allCheckpoints(db);
  const anchor = options.full === true ? null : (checkpoints.at(-1) ?? null);
  const from = anchor ?? GENESIS_ANCHOR;
  let entries = from.seq;
  let head = from.head;
  let walked = 0;
  const broken = (brokenAt: Break): SinceBroken => ({
    ok: false,
    anchor,
    checkpoints: checkpoints.length,
    entries,
    walked,
    head,
    brokenAt,
  });

  const bad = checkCheckpoints(db, checkpoints);
  if (bad !== null) return broken(bad);

  const headRow = readHead(db);
  const last = Math.max(
    headRow.seq,
    db.query<{ seq: number | null }, []>("SELECT max(seq) AS seq FROM entries").get()?.seq ?? 0,
  );
  const range = verifySeqRange(db, from.seq + 1, last);
  if (range.count > 0 && range.firstPrevHash !== from.head)
    return broken({
      seq: from.seq + 1,
      entryId: null,
      reason: "its previous hash does not match the checkpoint's head",
    });
  walked = range.count;
  entries = from.seq + range.count;
  head = range.lastHash ?? from.head;
  if (range.broken) return broken(range.broken);
  if (last > entries)
    return broken({
      seq: entries + 1,
      entryId: null,
      reason: `an entry with sequence ${last} lies beyond the chain's head`,
    });
  if (headRow.seq !== entries || headRow.hash !== head)
    return broken({
      seq: entries + 1,
      entryId: null,
      reason: "the chain's head does not match its last entry (an entry was removed from the end?)",
    });
  const outside = db
    .query<{ id: number }, []>(
      "SELECT id FROM entries WHERE seq IS NULL AND status = 'posted' UNION ALL SELECT id FROM entries WHERE seq < 1 LIMIT 1",
    )
    .get();
  if (outside)
    return broken({
      seq: entries,
      entryId: outside.id,
      reason: `entry ${outside.id} is posted but lies outside the chain`,
    });

  // Balances: what each household had at the anchor is its balance now less what was added since.
  const then = new BalancesDigest();
  const now = new BalancesDigest();
  const sums = range.sums;
  for (const h of db
    .query<{ id: number; balance: number }, []>("SELECT id, balance FROM households ORDER BY id")
    .values() as [number, number][]) {
    const [id, balance] = h;
    now.add(id, balance);
    const since = sums.get(id) ?? 0;
    sums.delete(id);
    if (id <= from.lastHouseholdId) then.add(id, balance - since);
    else if (balance !== since) {
      const reason =
        anchor === null
          ? `household ${id} has balance ${balance} but its posted entries sum to ${since}`
          : `household ${id}, added after the checkpoint of ${anchor.day}, has balance ${balance} but its entries since sum to ${since}`;
      return broken({ seq: entries, entryId: null, reason });
    }
  }
  for (const householdId of sums.keys())
    return broken({
      seq: entries,
      entryId: null,
      reason: `posted entries name household ${householdId}, which does not exist`,
    });
  if (then.count !== from.households || then.digest() !== from.balancesDigest) {
    return broken({
      seq: from.seq,
      entryId: null,
      reason: `the balances at the checkpoint of ${anchor?.day ?? "?"} (each balance now less its entries since) do not match the checkpoint's digest: a balance, or an entry up to the checkpoint, was changed behind the server's back; run the full verify to find it`,
    });
  }
  return {
    ok: true,
    anchor,
    checkpoints: checkpoints.length,
    entries,
    walked,
    head,
    households: now.count,
    lastHouseholdId: now.lastId,
    balancesDigest: now.digest(),
  };
}

/** verifySince inside one read transaction of `db` (a connection of its own: a worker's, the CLI's). */
export function verifySinceInSnapshot(db: Database, options: { full?: boolean } = {}): SinceResult {
  db.run("BEGIN");
  try {
    return verifySince(db, options);
  } finally {
    db.run("COMMIT");
  }
}
