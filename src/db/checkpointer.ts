import type { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { walDatabasePath } from "./open.ts";

/**
 * WAL checkpoints on a thread of their own, so the commits of sales and awards never run one.
 *
 * Why: SQLite checkpoints inside the COMMIT that takes the WAL past `wal_autocheckpoint` pages
 * (1,000 by default): it fsyncs the WAL, copies the frames into the database file and fsyncs that
 * too, on the thread that committed. For the server that is the event loop: every few hundred
 * sales all requests stood still for two fsyncs. Measured in process, 12 interleaved rounds of
 * 2,000 sales through the app: -3 % CPU a sale (on top of the batches without savepoints); over
 * HTTP the two together gave +2.5 to +13.5 % sales a second in 6 of 7 market-bench pairs.
 *
 * How: after every CHECKPOINT_EVERY_COMMITS commits of the group commit, the checkpoint thread
 * (src/db/checkpoint-worker.ts, one per process, on a connection of its own) runs a PASSIVE
 * checkpoint of the file; one at a time per database. The server's own connection keeps a
 * fallback, `wal_autocheckpoint = FALLBACK_AUTOCHECKPOINT_PAGES`: a PASSIVE checkpoint copies
 * what is in the WAL but cannot make the next writer start the WAL again from its beginning
 * while sales keep coming, so under a long rush the WAL would only grow. At the fallback's size
 * the commit checkpoints the little the thread has not copied yet, and the WAL starts over. If
 * the thread fails, the fallback alone keeps the WAL bounded, as SQLite's default did.
 */
export const CHECKPOINT_EVERY_COMMITS = 64;
/** 40 MiB of 4 KiB pages: about 2,500 sales' worth of WAL under a rush. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

export type CheckpointRequest = { id: number; path: string };
export type CheckpointAnswer =
  | { id: number; path: string; ok: true; busy: boolean; log: number; checkpointed: number }
  | { id: number; path: string; ok: false; error: string };

let thread: Worker | null = null;
let nextRequestId = 1;
const outstanding = new Map<number, Checkpointer>();

function checkpointThread(): Worker {
  if (thread === null) {
    const worker = new Worker(new URL("./checkpoint-worker.ts", import.meta.url).href);
    // The thread never keeps the process alive: a checkpoint left undone is the fallback's.
    (worker as unknown as { unref(): void }).unref();
    worker.onmessage = (event: MessageEvent<CheckpointAnswer>) => {
      const checkpointer = outstanding.get(event.data.id);
      outstanding.delete(event.data.id);
      checkpointer?.answered(event.data);
    };
    worker.onerror = (event) => {
      // The thread died: answer every request as failed; the next one starts a new thread.
      thread = null;
      const failed = [...outstanding.entries()];
      outstanding.clear();
      for (const [id, checkpointer] of failed) checkpointer.answered({ id, path: checkpointer.path, ok: false, error: String(event.message) });
    };
    thread = worker;
  }
  return thread;
}

export class Checkpointer {
  /** Requests sent and their answers, for tests and the benches. */
  readonly stats = { requested: 0, done: 0, failed: 0, last: null as CheckpointAnswer | null };
  private commitsSince = 0;
  private running = false;
  private idleWaiters: Array<() => void> = [];
  private warned = false;

  constructor(
    readonly path: string,
    private readonly everyCommits: number = CHECKPOINT_EVERY_COMMITS,
  ) {}

  /** Called after each commit: asks for a checkpoint once enough commits have gathered. */
  committed(): void {
    this.commitsSince++;
    this.maybeStart();
  }

  /** Resolves when no checkpoint of this database is running. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  answered(answer: CheckpointAnswer): void {
    this.running = false;
    this.stats.last = answer;
    if (answer.ok) this.stats.done++;
    else {
      this.stats.failed++;
      // A database a test has already removed is nothing to report; anything else is, once.
      if (!this.warned && existsSync(this.path)) {
        this.warned = true;
        console.error(`jifen: the checkpoint thread failed on ${this.path} (${answer.error}); commits checkpoint the WAL themselves every ${FALLBACK_AUTOCHECKPOINT_PAGES} pages`);
      }
    }
    for (const wake of this.idleWaiters.splice(0)) wake();
    this.maybeStart();
  }

  private maybeStart(): void {
    if (this.running || this.commitsSince < this.everyCommits) return;
    this.commitsSince = 0;
    this.running = true;
    this.stats.requested++;
    const id = nextRequestId++;
    outstanding.set(id, this);
    checkpointThread().postMessage({ id, path: this.path } satisfies CheckpointRequest);
  }
}

/**
 * The checkpointer of a file database in WAL mode, with the connection's own checkpoints moved
 * to the fallback size; null for an in-memory database or one not in WAL mode (left as it is).
 */
export function checkpointerFor(db: Database, everyCommits: number = CHECKPOINT_EVERY_COMMITS): Checkpointer | null {
  const path = walDatabasePath(db);
  if (path === null) return null;
  db.run(`PRAGMA wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  return new Checkpointer(path, everyCommits);
}
