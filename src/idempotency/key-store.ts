/**
 * The Idempotency-Key store (IETF draft "The Idempotency-Key HTTP Header Field"): required on
 * redemptions, optional on awards and batches (POST /api/entries, /api/entries/batch). Storage,
 * not HTTP, so a use case such as a sale answers its key inside its own transaction; reading the
 * header, the keys in flight and the replayed answer are src/http/idempotency.ts.
 *
 * Design, and why:
 * - The key is looked up, the sale (or award) made and the answer stored in ONE immediate transaction. Two
 *   requests with the same key, from one process or two, are therefore serialized by SQLite's write
 *   lock: the second sees the first's stored answer and replays it. No separate "in progress" row
 *   is written (it would cost a second fsync per sale and leave stuck keys after a crash); instead
 *   the server remembers the keys it is working on, and a duplicate arriving meanwhile answers 409
 *   with Retry-After, as the draft asks (src/market/redemption-routes.ts).
 * - Only a success (201) is stored. A refused sale (409 insufficient-points, out-of-stock, a daily
 *   limit, 404) changed nothing, so it is not kept: the same key may be sent again and is judged
 *   afresh. That never charges twice (nothing was charged) and never poisons the key: a kiosk that
 *   lost a 409 and retries gets the current truth.
 * - A key belongs to its caller (kiosk:3, user:5): two kiosks may pick the same key.
 * - Keys are kept at least IDEMPOTENCY_RETENTION_MS; older ones are purged now and then by the
 *   writes themselves (no timer to forget).
 */
import type { Database } from "bun:sqlite";
import { DAY_MS, HOUR_MS } from "../shared/clock.ts";

export const IDEMPOTENCY_RETENTION_MS = DAY_MS;
export const IDEMPOTENCY_PURGE_INTERVAL_MS = HOUR_MS;

export type StoredAnswer = { fingerprint: string; status: number; response: string };

/** Whether this caller's key already has its answer stored (a retry will be replayed, not judged again). */
export function hasStoredAnswer(db: Database, caller: string, key: string): boolean {
  return findStoredAnswer(db, caller, key) !== null;
}

function findStoredAnswer(db: Database, caller: string, key: string): StoredAnswer | null {
  return db
    .query<StoredAnswer, [string, string]>(
      "SELECT fingerprint, status, response FROM idempotency_keys WHERE caller = ? AND idempotency_key = ?",
    )
    .get(caller, key);
}

function storeAnswer(
  db: Database,
  row: {
    caller: string;
    key: string;
    fingerprint: string;
    status: number;
    response: string;
    nowMs: number;
  },
): void {
  db.query(
    "INSERT INTO idempotency_keys (caller, idempotency_key, fingerprint, status, response, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
  ).run(row.caller, row.key, row.fingerprint, row.status, row.response, row.nowMs);
}

const lastPurgeMsByDb = new WeakMap<Database, number>();

/**
 * Deletes keys past retention, at most once per IDEMPOTENCY_PURGE_INTERVAL_MS per connection.
 * Runs inside the caller's transaction: it visits only the expired keys, and adds no commit.
 */
function purgeExpiredKeys(db: Database, nowMs: number): void {
  const lastMs = lastPurgeMsByDb.get(db);
  if (lastMs !== undefined && nowMs - lastMs < IDEMPOTENCY_PURGE_INTERVAL_MS && nowMs >= lastMs)
    return;
  lastPurgeMsByDb.set(db, nowMs);
  // Keys are stored in time order, so the rowid order is the age order: every key before the
  // first one still within retention has expired. Only those are visited (no index on the time:
  // it cost a page in every commit of sales). A key stored under a clock that went back is kept
  // a little longer, never dropped early.
  const kept = db
    .query<{ id: number }, [number]>(
      "SELECT id FROM idempotency_keys WHERE created_at_ms >= ? ORDER BY id LIMIT 1",
    )
    .get(nowMs - IDEMPOTENCY_RETENTION_MS);
  if (kept === null) db.query("DELETE FROM idempotency_keys").run();
  else db.query("DELETE FROM idempotency_keys WHERE id < ?").run(kept.id);
}

/** A request made under an Idempotency-Key: whose key, the key, and what was asked. */
export type KeyedRequest = { caller: string; key: string; fingerprint: string };
/** The JSON text of a 201 answer, and whether it is the stored answer of an earlier request. */
export type KeyedAnswer = { json: string; replayed: boolean };
export type KeyReused = { ok: false; reason: "idempotency-key-reused"; detail: string };

const KEY_REUSED: KeyReused = {
  ok: false,
  reason: "idempotency-key-reused",
  detail:
    "This Idempotency-Key was already used with a different request; make a new key for a new request.",
};

/**
 * Answers a write once per key, inside the caller's transaction: the stored answer of the same
 * request is replayed, another request under the key is refused, and otherwise `answer` runs and
 * its success is stored with it. A refusal is not stored, so a retry is judged afresh. With no
 * key, `answer` simply runs. `status` is the success status the route answers (201 unless said).
 */
export function answerOnce<F extends { ok: false }>(
  db: Database,
  keyed: KeyedRequest | null,
  nowMs: number,
  answer: () => { ok: true; value: { json: string } } | F,
  status: number = 201,
): { ok: true; value: KeyedAnswer } | F | KeyReused {
  if (keyed !== null) {
    purgeExpiredKeys(db, nowMs);
    const stored = findStoredAnswer(db, keyed.caller, keyed.key);
    if (stored !== null)
      return stored.fingerprint === keyed.fingerprint
        ? { ok: true, value: { json: stored.response, replayed: true } }
        : KEY_REUSED;
  }
  const result = answer();
  if (!result.ok) return result;
  const { json } = result.value;
  if (keyed !== null)
    storeAnswer(db, {
      caller: keyed.caller,
      key: keyed.key,
      fingerprint: keyed.fingerprint,
      status,
      response: json,
      nowMs,
    });
  return { ok: true, value: { json, replayed: false } };
}
