import { Database } from "bun:sqlite";
import { cpus } from "node:os";
import {
  finishVerify,
  joinRanges,
  newAccumulators,
  readHead,
  verifySeqRange,
  type RangeResult,
  type VerifyResult,
} from "./verify.ts";

/** Below this many entries one thread is faster than starting workers. */
export const PARALLEL_MIN_ENTRIES = 50_000;
/**
 * With `offThread` (the server's `GET /api/ledger/verify`), from this many entries on the chain is
 * walked by workers only, so the server's event loop keeps answering kiosks meanwhile; a shorter
 * chain takes a few milliseconds on the calling thread.
 */
export const OFF_THREAD_MIN_ENTRIES = 5_000;
/** The chain is walked in pieces of this many entries, taken in turn by whichever thread is free. */
export const CHUNK_ENTRIES = 50_000;

/** What a worker is sent: the file, the chain's length, and the shared counter of the next piece. */
export type VerifyJob = { path: string; last: number; chunk: number; next: Int32Array };

/**
 * Takes pieces of the chain (1-based sequence ranges of `chunk` entries) until none is left, and
 * walks each. `next` is shared by every thread: Atomics.add hands each piece to exactly one.
 */
export function walkPieces(db: Database, job: Omit<VerifyJob, "path">): RangeResult[] {
  const walked: RangeResult[] = [];
  // One running sum for all of this thread's pieces; it rides on the first piece's result, as
  // joinRanges adds every range's sums whatever their order.
  const into = newAccumulators(db);
  for (;;) {
    const piece = Atomics.add(job.next, 0, 1);
    const fromSeq = piece * job.chunk + 1;
    if (fromSeq > job.last) break;
    walked.push(verifySeqRange(db, fromSeq, Math.min(job.last, fromSeq + job.chunk - 1), into));
  }
  const first = walked[0];
  if (first !== undefined) {
    first.sums = into.sums.toMap();
    first.honour = into.honour.toMap();
  }
  return walked;
}

/**
 * verifyLedger on a database file, using every core: the chain is cut into pieces of sequence
 * numbers that the threads (this one included), each on its own read-only connection, take in
 * turn until none is left, so a thread that starts late or runs slower simply walks fewer; the
 * pieces are then joined in order. Same checks and same answer as verifyLedger.
 */
export async function verifyLedgerFile(
  path: string,
  threads: number = cpus().length,
  options: { offThread?: boolean } = {},
): Promise<VerifyResult> {
  const db = new Database(path, { readonly: true });
  // One read transaction on this connection: the last sequence, the head and the balances are read
  // from one snapshot even while a server keeps posting. The workers may see later snapshots, but
  // they read only entries up to `last`, which were posted before it and never change.
  db.run("BEGIN");
  try {
    const last = Math.max(
      readHead(db).seq,
      db.query<{ seq: number | null }, []>("SELECT max(seq) AS seq FROM entries").get()?.seq ?? 0,
    );
    // Off the calling thread: workers walk every piece (at least one worker); else the calling
    // thread walks too, with one worker fewer.
    const offThread = options.offThread === true && last >= OFF_THREAD_MIN_ENTRIES;
    const workers = offThread
      ? Math.max(1, threads)
      : last < PARALLEL_MIN_ENTRIES
        ? 0
        : Math.max(0, threads - 1);
    const job = {
      last,
      chunk: workers === 0 ? Math.max(1, last) : CHUNK_ENTRIES,
      next: new Int32Array(new SharedArrayBuffer(4)),
    };
    const others = Array.from(
      { length: workers },
      () =>
        new Promise<RangeResult[]>((resolve, reject) => {
          const worker = new Worker(new URL("./verify-worker.ts", import.meta.url).href);
          worker.onmessage = (event: MessageEvent<RangeResult[]>) => {
            resolve(event.data);
            worker.terminate();
          };
          worker.onerror = (event) => {
            reject(new Error(event.message));
            worker.terminate();
          };
          worker.postMessage({ path, ...job } satisfies VerifyJob);
        }),
    );
    const mine = offThread ? [] : walkPieces(db, job);
    const ranges = [...mine, ...(await Promise.all(others)).flat()].sort(
      (a, b) => a.fromSeq - b.fromSeq,
    );
    return finishVerify(db, joinRanges(ranges));
  } finally {
    db.run("COMMIT");
    db.close();
  }
}
