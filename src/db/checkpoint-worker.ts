/**
 * The checkpoint thread (src/db/checkpointer.ts): asked with a database file's path, it runs
 * `PRAGMA wal_checkpoint(PASSIVE)` on a connection of its own to that file and answers with the
 * result. PASSIVE never waits for a lock and never blocks a writer; SQLite fsyncs the WAL before
 * it copies frames into the database file and fsyncs the database file after, so it is as safe as
 * the checkpoint a commit would otherwise run. A file that cannot be opened or checkpointed (a
 * test removed it) is answered with the error and its connection dropped.
 */
import { Database } from "bun:sqlite";
import type { CheckpointAnswer, CheckpointRequest } from "./checkpointer.ts";

declare const self: Worker;

/** Long enough to ride out a moment of contention, short: a PASSIVE checkpoint gives up anyway. */
const WORKER_BUSY_TIMEOUT_MS = 100;

const connections = new Map<string, Database>();

function connectionTo(path: string): Database {
  let db = connections.get(path);
  if (db === undefined) {
    // Never creates the file: the server made it; one that is gone stays gone.
    db = new Database(path, { readwrite: true, create: false });
    db.run(`PRAGMA busy_timeout = ${WORKER_BUSY_TIMEOUT_MS}`);
    db.run("PRAGMA synchronous = FULL");
    connections.set(path, db);
  }
  return db;
}

self.onmessage = (event: MessageEvent<CheckpointRequest>) => {
  const { id, path } = event.data;
  let answer: CheckpointAnswer;
  try {
    const row = connectionTo(path).query<{ busy: number; log: number; checkpointed: number }, []>("PRAGMA wal_checkpoint(PASSIVE)").get()!;
    answer = { id, path, ok: true, busy: row.busy === 1, log: row.log, checkpointed: row.checkpointed };
  } catch (error) {
    connections.get(path)?.close();
    connections.delete(path);
    answer = { id, path, ok: false, error: String(error) };
  }
  self.postMessage(answer);
};
