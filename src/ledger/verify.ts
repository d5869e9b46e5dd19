import type { Database } from "bun:sqlite";
import {
  CANONICAL_SQL,
  CHAINED_COLUMNS,
  entryHash,
  GENESIS_HASH,
  hashEncoded,
  type ChainValue,
} from "./chain.ts";

export type VerifyResult =
  | { ok: true; entries: number; head: string }
  | {
      ok: false;
      entries: number;
      head: string;
      brokenAt: { seq: number; entryId: number | null; reason: string };
    };

export type Break = { seq: number; entryId: number | null; reason: string };

/** What one walk over a range of sequence numbers found; ranges are joined by `joinRanges`. */
export type RangeResult = {
  fromSeq: number;
  toSeq: number;
  count: number;
  firstPrevHash: string | null;
  lastHash: string | null;
  broken: Break | null;
  /** The sum of the walked entries' points by household, for the balance check. */
  sums: Map<number, number>;
  /** The same sum over the entries the honour score counts (awards, deductions, reversals of those), for the honour check. */
  honour: Map<number, number>;
};

const BATCH_ROWS = 50_000;

type Row = [
  seq: number,
  householdId: number,
  points: number,
  posted: number,
  hash: string,
  encoded: Uint8Array,
  honour: number,
];

/**
 * 1 when an entry counts toward the honour score (issue 18): an award, a deduction, or a reversal
 * of one (its original read by key: reversals are few). The kinds are in the hash, so a changed
 * kind breaks the chain before it could mislead this check.
 */
const HONOUR_FLAG_SQL = `CASE WHEN kind IN ('award', 'deduction') THEN 1 WHEN kind = 'reversal' THEN coalesce((SELECT o.kind IN ('award', 'deduction') FROM entries o WHERE o.id = entries.reverses_id), 0) ELSE 0 END`;

const QUOTE = 0x22;
const COMMA = 0x2c;
const BRACKET = 0x5d;

/**
 * Whether an encoding that hashed to its stored hash ends with `,"<prevHash>"]`, i.e. whether its
 * last field, prev_hash, is exactly `prevHash` (64 hex digits). The `,"` proves the quote opens
 * the string (inside a JSON string a quote is always escaped with a backslash), so the 64 bytes
 * compared are the whole field, not the tail of a longer one. Compares bytes, so the row's
 * prev_hash never has to be read into a JavaScript string.
 */
function endsWithLink(encoded: Uint8Array, prevHash: string): boolean {
  const n = encoded.length;
  if (
    n < 68 ||
    encoded[n - 1] !== BRACKET ||
    encoded[n - 2] !== QUOTE ||
    encoded[n - 67] !== QUOTE ||
    encoded[n - 68] !== COMMA
  )
    return false;
  const from = n - 66;
  for (let i = 0; i < 64; i++) if (encoded[from + i] !== prevHash.charCodeAt(i)) return false;
  return true;
}

/**
 * Sums of points by household: a typed array for the households that exist (ids are small
 * integers), a Map for any other id an entry may name, so that one is reported, not lost.
 */
export class HouseholdSums {
  private readonly dense: Float64Array;
  private readonly seen: Uint8Array;
  private readonly other = new Map<number, number>();
  constructor(maxId: number) {
    this.dense = new Float64Array(maxId + 1);
    this.seen = new Uint8Array(maxId + 1);
  }
  add(householdId: number, points: number): void {
    if (householdId >= 0 && householdId < this.dense.length) {
      this.dense[householdId] = this.dense[householdId]! + points;
      this.seen[householdId] = 1;
    } else this.other.set(householdId, (this.other.get(householdId) ?? 0) + points);
  }
  toMap(): Map<number, number> {
    const sums = new Map(this.other);
    for (let id = 0; id < this.seen.length; id++)
      if (this.seen[id] === 1) sums.set(id, this.dense[id]!);
    return sums;
  }
}

/**
 * Walks posted entries with fromSeq ≤ seq ≤ toSeq in sequence order: each must be there, link to
 * the one before it inside the range, and hash to its stored hash. The first entry's link is left
 * to the caller (`firstPrevHash`), so ranges can be walked in parallel and joined.
 */
export type Accumulators = { sums: HouseholdSums; honour: HouseholdSums };

/** Fresh sums sized for the database's households. */
export function newAccumulators(db: Database): Accumulators {
  const maxHousehold =
    db.query<{ id: number | null }, []>("SELECT max(id) AS id FROM households").get()?.id ?? 0;
  const size = Math.max(0, Math.min(maxHousehold, 50_000_000));
  return { sums: new HouseholdSums(size), honour: new HouseholdSums(size) };
}

/**
 * With `into`, the range's sums are added there and its result carries empty maps: a thread that
 * walks many ranges keeps one running sum instead of a map per range (a county's 600 ranges of
 * 50,000 entries held 7.6 GB of maps until the end).
 */
export function verifySeqRange(
  db: Database,
  fromSeq: number,
  toSeq: number,
  into?: Accumulators,
): RangeResult {
  // The encoding comes as a BLOB: its UTF-8 bytes are hashed as they are, with no decoding into
  // a JavaScript string and encoding back (a quarter of the time over a million rows). The link
  // to the entry before is read from the encoding's last field (endsWithLink), not as a column.
  const page = db.query<Row, [number, number, number]>(
    `SELECT seq, household_id, points, status = 'posted', hash, CAST(${CANONICAL_SQL} AS BLOB), ${HONOUR_FLAG_SQL} FROM entries WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?`,
  );
  const slow = db.query<Record<string, ChainValue> & { status: string }, [number]>(
    `SELECT ${CHAINED_COLUMNS.join(", ")}, status FROM entries WHERE seq = ?`,
  );
  let expectedSeq = fromSeq;
  let prevHash: string | null = null;
  let firstPrevHash: string | null = null;
  let count = 0;
  const { sums, honour } = into ?? newAccumulators(db);
  const result = (broken: Break | null): RangeResult => ({
    fromSeq,
    toSeq,
    count,
    firstPrevHash,
    lastHash: prevHash,
    broken,
    sums: into ? new Map() : sums.toMap(),
    honour: into ? new Map() : honour.toMap(),
  });

  while (expectedSeq <= toSeq) {
    const rows = page.values(expectedSeq, toSeq, BATCH_ROWS) as Row[];
    if (rows.length === 0) break;
    for (const [seq, householdId, points, posted, stored, encoded, counts] of rows) {
      if (seq !== expectedSeq)
        return result({
          seq: expectedSeq,
          entryId: null,
          reason: `entry with sequence ${expectedSeq} is missing (next is ${seq})`,
        });
      const fast =
        encoded !== null &&
        stored !== null &&
        hashEncoded(encoded) === stored &&
        (prevHash === null || endsWithLink(encoded, prevHash));
      if (!fast || posted !== 1 || prevHash === null) {
        // The slow, authoritative path: the row's own columns, and the same encoding postEntry
        // hashed, built in JavaScript. Every row the fast path doubts comes here before it is
        // called broken, so the two can never disagree about a break.
        const row = slow.get(seq)!;
        const id = row.id as number;
        if (prevHash === null) firstPrevHash = row.prev_hash as string | null;
        else if (row.prev_hash !== prevHash)
          return result({
            seq,
            entryId: id,
            reason: "its previous hash does not match the entry before it",
          });
        if (entryHash(CHAINED_COLUMNS.map((c) => row[c] ?? null)) !== stored)
          return result({ seq, entryId: id, reason: "its contents do not match its hash" });
        if (row.status !== "posted")
          return result({
            seq,
            entryId: id,
            reason: `it has a sequence number but its status is ${row.status}`,
          });
      }
      sums.add(householdId, points);
      if (counts === 1) honour.add(householdId, points);
      prevHash = stored;
      expectedSeq++;
      count++;
    }
  }
  if (expectedSeq <= toSeq)
    return result({
      seq: expectedSeq,
      entryId: null,
      reason: `entry with sequence ${expectedSeq} is missing`,
    });
  return result(null);
}

/** Joins ranges walked in order: each must start where the previous one ended. */
export type Joined = {
  count: number;
  head: string;
  broken: Break | null;
  sums: Map<number, number>;
  honour: Map<number, number>;
};

export function joinRanges(ranges: readonly RangeResult[]): Joined {
  let head = GENESIS_HASH;
  let count = 0;
  const sums = new Map<number, number>();
  const honour = new Map<number, number>();
  for (const r of ranges) {
    for (const [householdId, points] of r.sums)
      sums.set(householdId, (sums.get(householdId) ?? 0) + points);
    for (const [householdId, points] of r.honour)
      honour.set(householdId, (honour.get(householdId) ?? 0) + points);
  }
  for (const r of ranges) {
    if (r.count > 0 && r.firstPrevHash !== head)
      return {
        count,
        head,
        broken: {
          seq: r.fromSeq,
          entryId: null,
          reason: "its previous hash does not match the entry before it",
        },
        sums,
        honour,
      };
    if (r.broken)
      return { count: count + r.count, head: r.lastHash ?? head, broken: r.broken, sums, honour };
    count += r.count;
    head = r.lastHash ?? head;
  }
  return { count, head, broken: null, sums, honour };
}

export function readHead(db: Database): { seq: number; hash: string } {
  return (
    db
      .query<{ seq: number; hash: string }, []>("SELECT seq, hash FROM ledger_head WHERE id = 1")
      .get() ?? { seq: 0, hash: GENESIS_HASH }
  );
}

/**
 * The checks after the chain: the head row names the last entry; every posted entry is in the
 * chain (as many posted entries as chained ones, and each chained one is posted); and every
 * household's stored balance is the sum of its chained entries, and its stored honour score the
 * sum of those the honour counts, both summed during the walk.
 */
export function finishVerify(db: Database, joined: Joined): VerifyResult {
  const { count, head: prevHash } = joined;
  if (joined.broken) return { ok: false, entries: count, head: prevHash, brokenAt: joined.broken };
  const broken = (seq: number, reason: string): VerifyResult => ({
    ok: false,
    entries: count,
    head: prevHash,
    brokenAt: { seq, entryId: null, reason },
  });
  const last =
    db.query<{ seq: number | null }, []>("SELECT max(seq) AS seq FROM entries").get()?.seq ?? 0;
  if (last > count)
    return broken(count + 1, `an entry with sequence ${last} lies beyond the chain's head`);
  const head = readHead(db);
  if (head.seq !== count || head.hash !== prevHash)
    return broken(
      count + 1,
      "the chain's head does not match its last entry (an entry was removed from the end?)",
    );
  // Every posted entry with a sequence number from 1 to the head was walked (sequence numbers are
  // unique), and none lies beyond the head; so a posted entry outside the chain has no sequence
  // number or one below 1. Both are looked up on the sequence index, without counting the ledger.
  const outside = db
    .query<{ id: number }, []>(
      "SELECT id FROM entries WHERE seq IS NULL AND status = 'posted' UNION ALL SELECT id FROM entries WHERE seq < 1 LIMIT 1",
    )
    .get();
  if (outside) return broken(count, `entry ${outside.id} is posted but lies outside the chain`);
  const households = db
    .query<{ id: number; village_id: number; balance: number; honour: number }, []>(
      "SELECT id, village_id, balance, honour FROM households ORDER BY id",
    )
    .all();
  for (const h of households) {
    const total = joined.sums.get(h.id) ?? 0;
    if (h.balance !== total)
      return broken(
        count,
        `household ${h.id} has balance ${h.balance} but its posted entries sum to ${total}`,
      );
    const earned = joined.honour.get(h.id) ?? 0;
    if (h.honour !== earned)
      return broken(
        count,
        `household ${h.id} has honour ${h.honour} but its posted awards, deductions and their reversals sum to ${earned}`,
      );
  }
  const known = new Set(households.map((h) => h.id));
  for (const householdId of joined.sums.keys())
    if (!known.has(householdId))
      return broken(count, `posted entries name household ${householdId}, which does not exist`);
  const sums = monthlySumsDisagree(db, households);
  if (sums !== null) return broken(count, sums);
  return { ok: true, entries: count, head: prevHash };
}

/**
 * The reports' monthly sums (migrations/0022) against the balances and honour scores just proven
 * from the chain: each village's points over all months and kinds are its households' balances, its
 * awards and deductions their honour scores, and the households' months earned all the honour
 * there is. Totals, not every row (a county's is 9 million household months); the property test
 * (tests/ledger/ledger.property.test.ts) proves them row for row. Null when they agree.
 */
function monthlySumsDisagree(
  db: Database,
  households: readonly { village_id: number; balance: number; honour: number }[],
): string | null {
  const byVillage = db
    .query<{ village_id: number; points: number; honour: number }, []>(
      `SELECT village_id, sum(points) AS points, sum(CASE WHEN kind IN ('award', 'deduction') THEN points ELSE 0 END) AS honour
       FROM report_village_months GROUP BY village_id`,
    )
    .all();
  // The households' balances and honour scores by village, from the rows the caller just proved.
  const proven = new Map<number, { balance: number; honour: number }>();
  let honour = 0;
  for (const h of households) {
    const v =
      proven.get(h.village_id) ??
      proven.set(h.village_id, { balance: 0, honour: 0 }).get(h.village_id)!;
    v.balance += h.balance;
    v.honour += h.honour;
    honour += h.honour;
  }
  const summed = new Map(byVillage.map((v) => [v.village_id, v]));
  for (const [villageId, v] of proven) {
    const months = summed.get(villageId) ?? { points: 0, honour: 0 };
    if (months.points !== v.balance)
      return `the reports' monthly sums of village ${villageId} come to ${months.points} points, but its balances to ${v.balance}`;
    if (months.honour !== v.honour)
      return `the reports' monthly awards and deductions of village ${villageId} come to ${months.honour}, but its honour scores to ${v.honour}`;
  }
  for (const v of byVillage)
    if (!proven.has(v.village_id) && (v.points !== 0 || v.honour !== 0))
      return `the reports' monthly sums name village ${v.village_id}, which has no households`;
  const earned =
    db.query<{ n: number | null }, []>("SELECT sum(earned) AS n FROM report_household_months").get()
      ?.n ?? 0;
  if (earned !== honour)
    return `the reports' household months earned ${earned} points in all, but the honour scores come to ${honour}`;
  return null;
}

/**
 * Walks the chain in sequence order and recomputes every hash; then checks that each household's
 * stored balance equals the sum of its posted entries and that the head row names the last entry.
 * Reads only: it runs on a live database or on a copy. `verifyLedgerFile` does the same on two
 * cores for the offline `bun run verify`.
 */
export function verifyLedger(db: Database): VerifyResult {
  // Up to the head, and one past it so an entry appended behind the server's back is found too.
  const last = Math.max(
    readHead(db).seq,
    db.query<{ seq: number | null }, []>("SELECT max(seq) AS seq FROM entries").get()?.seq ?? 0,
  );
  return finishVerify(db, joinRanges([verifySeqRange(db, 1, last)]));
}
