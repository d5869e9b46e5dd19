import { Database } from "bun:sqlite";
import { cpus } from "node:os";
import { finishVerify, joinRanges, readHead, verifySeqRange, type RangeResult, type VerifyResult } from "./verify.ts";

/** Below this many entries one thread is faster than starting workers. */
export const PARALLEL_MIN_ENTRIES = 50_000;

/**
 * verifyLedger on a database file, using every core: the chain is cut into equal ranges of
 * sequence numbers, each walked by its own thread (this one included) on its own read-only
 * connection, and the ranges are joined in order. Same checks and same answer as verifyLedger.
 */
export async function verifyLedgerFile(path: string, threads: number = cpus().length): Promise<VerifyResult> {
  const db = new Database(path, { readonly: true });
  try {
    const last = Math.max(readHead(db).seq, db.query<{ seq: number | null }, []>("SELECT max(seq) AS seq FROM entries").get()?.seq ?? 0);
    const parts = last < PARALLEL_MIN_ENTRIES ? 1 : Math.max(1, threads);
    const size = Math.ceil(last / parts);
    const bounds = Array.from({ length: parts }, (_, i) => ({ fromSeq: i * size + 1, toSeq: Math.min(last, (i + 1) * size) }));
    const others = bounds.slice(1).map(
      ({ fromSeq, toSeq }) =>
        new Promise<RangeResult>((resolve, reject) => {
          const worker = new Worker(new URL("./verify-worker.ts", import.meta.url).href);
          worker.onmessage = (event: MessageEvent<RangeResult>) => {
            resolve(event.data);
            worker.terminate();
          };
          worker.onerror = (event) => {
            reject(new Error(event.message));
            worker.terminate();
          };
          worker.postMessage({ path, fromSeq, toSeq });
        }),
    );
    const first = verifySeqRange(db, bounds[0]?.fromSeq ?? 1, bounds[0]?.toSeq ?? 0);
    const ranges = [first, ...(await Promise.all(others))];
    return finishVerify(db, joinRanges(ranges));
  } finally {
    db.close();
  }
}
