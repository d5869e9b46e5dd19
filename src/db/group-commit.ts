import type { Database } from "bun:sqlite";
import { closeSync, fsync, openSync } from "node:fs";
import { statement } from "./statements.ts";
import { holdOpen, immediate, releaseHold, walDatabasePath, withoutSavepoints } from "./open.ts";
import { checkpointerFor, type Checkpointer } from "./checkpointer.ts";

/**
 * Group commit: write use cases that arrive together run in ONE immediate transaction and share
 * one durable commit (one fsync). Every caller is answered only after that commit is on disk, so
 * an acknowledged point still survives a power cut. A use case that throws rolls back alone and
 * its caller gets the error, while the others commit: the batch runs first without savepoints
 * (the rule: nothing throws), and if anything threw it is rolled back whole and run again with a
 * savepoint for each use case. Use cases must therefore be safe to run twice: their effects are
 * writes to this connection, rolled back together.
 *
 * Why: with synchronous=FULL the fsync at commit costs far more than a sale itself (about 770 µs
 * against 340 µs measured for a redemption), so one commit per sale caps a kiosk township at a
 * few hundred sales a second. Under load the batch grows by itself: while one batch commits, the
 * next requests queue up.
 *
 * The fsync runs off the event loop. On a database in WAL mode a batch commits with
 * synchronous=NORMAL (SQLite writes the WAL but does not fsync it), and then the WAL file is
 * fsynced on a thread of the pool; the batch's callers are answered when that fsync is done. That
 * is the durability of synchronous=FULL, which SQLite defines as NORMAL plus a sync of the WAL
 * after each commit. Meanwhile this thread parses the next requests and runs their use cases in
 * a transaction it leaves open; that one commits when the fsync ends, or at once when it is full
 * (batchMax; its fsync then follows the running one). Committing fewer at once would make the
 * commits small; leaving them unrun left this thread idle (16-19 % of a sale bench's time).
 * Measured on the market bench, four interleaved pairs: +19 % sales a second on average for the
 * fsync off the event loop; +6 % more (14 interleaved rounds) for running the held batch. It used
 * to commit at eight as well: writing the WAL while its fsync runs only made the commits smaller
 * (9.5 against 9.75 sales a commit) and slower; three interleaved market bench pairs gave +8, +28
 * and +12 % sales a second for committing only at the fsync's end or when full.
 *
 * What differs from FULL: for the length of one fsync, another request on this connection can
 * read what a batch wrote (run, or committed) before the batch's callers are answered. If the
 * power fails in that window those writes are lost, with every later one (the WAL is replayed in
 * order), and nobody was told they happened. A failed fsync may have lost them too: every waiting caller gets the error and the
 * group commit refuses every later write until the server is restarted (as PostgreSQL does after
 * a failed fsync), because a retry could not tell what is on disk. `GROUP_COMMIT_SYNC=full` in
 * the environment commits each batch with FULL instead, as before.
 *
 * Each use case must be synchronous, exactly as inside `immediate()`: the batch runs them one
 * after another with no await between, so no other writer can interleave. Use cases that call
 * `immediate()` themselves keep working: inside a batch it is a savepoint, or nothing in the first
 * run (a throw inside it, even one the use case catches, sends the batch to the second run).
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  /** An fsync of the WAL is running; `unsynced` are the answers of batches committed after it began. */
  private syncing = false;
  private unsynced: Array<(syncError: unknown) => void> = [];
  /** The transaction left open while an fsync runs: its use cases have run, it is not committed. */
  private open: { items: Pending[]; outcomes: Outcome[] } | null = null;
  /** Set by a failed fsync: every later write is refused with it. */
  private failed: Error | null = null;
  /**
   * Use cases and commits so far, for the benches' report of the mean group size; `rerun`: batches
   * run a second time, with savepoints, because a use case threw.
   */
  readonly stats = { jobs: 0, groups: 0, syncs: 0, rerun: 0 };
  /**
   * Checkpoints of the WAL on a thread of their own (src/db/checkpointer.ts), asked for as the
   * commits gather; null where the fsync is not deferred either (FULL, in-memory, not WAL).
   */
  readonly checkpointer: Checkpointer | null;

  /**
   * `syncWal`: makes everything written to the WAL so far durable, off this thread, and calls back;
   * null commits each batch with synchronous=FULL instead (an in-memory or non-WAL database).
   */
  constructor(
    private readonly db: Database,
    private readonly batchMax: number = GROUP_COMMIT_BATCH_MAX,
    private readonly syncWal: WalSyncer | null = process.env["GROUP_COMMIT_SYNC"] === "full" ? null : walSyncerFor(db),
    checkpointer?: Checkpointer | null,
  ) {
    this.checkpointer = checkpointer !== undefined ? checkpointer : syncWal === null ? null : checkpointerFor(db);
  }

  run<T>(useCase: () => T): Promise<T> {
    if (this.failed !== null) return Promise.reject(this.failed);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ useCase, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || (this.queue.length === 0 && this.open === null)) return;
    this.scheduled = true;
    // setImmediate, not a microtask: requests parsed in this turn of the event loop join.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    // Running now: use cases that call immediate() nest in this transaction, as they should.
    releaseHold(this.db);
    if (this.failed !== null) {
      this.abandon(this.failed, []);
      for (const item of this.queue.splice(0)) item.reject(this.failed);
      return;
    }
    const batch = this.queue.splice(0, this.batchMax - (this.open?.items.length ?? 0));
    if (batch.length === 0 && this.open === null) return;
    try {
      if (batch.length > 0) this.execute(batch);
    } catch (error) {
      // The transaction could not begin again (a lock timeout): nothing of it will be committed.
      this.abandon(error, batch);
      this.schedule();
      return;
    }
    // While an fsync runs, a batch that is not full stays open, uncommitted, and takes in what
    // arrives until the fsync ends or it is full (batchMax: its use cases have run, so
    // this thread did the work meanwhile instead of waiting). Then, or at once when no fsync runs,
    // it commits. A plain immediate() on this connection commits it first.
    if (this.syncing && this.open!.items.length < this.batchMax) {
      holdOpen(this.db, () => this.commitOpen());
      return;
    }
    this.commitOpen();
  }

  /** Runs `batch` in the open transaction (begun if there is none), without savepoints first. */
  private execute(batch: Pending[]): void {
    if (this.open === null) {
      if (this.syncWal !== null) statement(this.db, "PRAGMA synchronous = NORMAL").run();
      this.open = { items: [], outcomes: [] };
      statement(this.db, "BEGIN IMMEDIATE").run();
    }
    const open = this.open;
    open.items.push(...batch);
    // Without a savepoint per use case: none throws, as a rule (a refusal is a returned failure),
    // and a savepoint costs about 10 µs a sale.
    const first = withoutSavepoints(this.db, () => {
      for (const item of batch) open.outcomes.push({ ok: true, value: immediate(this.db, item.useCase) });
    });
    if (!first.threw) return;
    // Something threw: start the whole open transaction again, each use case under its own
    // savepoint, so one that throws rolls back alone and the others commit.
    if (this.db.inTransaction) statement(this.db, "ROLLBACK").run();
    this.stats.rerun++;
    open.outcomes.length = 0;
    statement(this.db, "BEGIN IMMEDIATE").run();
    for (const item of open.items) {
      try {
        open.outcomes.push({ ok: true, value: immediate(this.db, item.useCase) });
      } catch (error) {
        open.outcomes.push({ ok: false, error });
      }
    }
  }

  /** Commits the open transaction; its callers are answered after the fsync that follows. */
  private commitOpen(): void {
    releaseHold(this.db);
    const open = this.open;
    if (open === null) return;
    try {
      statement(this.db, "COMMIT").run();
    } catch (error) {
      // The commit itself failed (disk full): nothing of this batch is durable.
      this.abandon(error, []);
      this.schedule();
      return;
    }
    this.open = null;
    // Every other commit on this connection (plain immediate()) stays FULL.
    if (this.syncWal !== null) statement(this.db, "PRAGMA synchronous = FULL").run();
    this.stats.jobs += open.items.length;
    this.stats.groups++;
    this.checkpointer?.committed();
    const answer = (syncError: unknown) =>
      open.items.forEach((item, i) => {
        const outcome = open.outcomes[i]!;
        // Committed but not known to be on disk: nobody is told it happened.
        if (syncError !== null) item.reject(syncError);
        else if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.error);
      });
    if (this.syncWal === null) answer(null);
    else {
      this.unsynced.push(answer);
      this.startSync();
    }
    this.schedule();
  }

  /** Rolls back the open transaction: its callers and `also` get the error. */
  private abandon(error: unknown, also: Pending[]): void {
    releaseHold(this.db);
    if (this.open !== null || also.length > 0) {
      if (this.db.inTransaction) statement(this.db, "ROLLBACK").run();
      if (this.syncWal !== null) statement(this.db, "PRAGMA synchronous = FULL").run();
    }
    const items = new Set([...(this.open?.items ?? []), ...also]);
    this.open = null;
    for (const item of items) item.reject(error);
  }

  /**
   * One fsync at a time. Batches committed while one runs wait for the next, because the running
   * one may have begun before their frames were written; one fsync then covers them all.
   */
  private startSync(): void {
    if (this.syncing || this.unsynced.length === 0) return;
    this.syncing = true;
    const waiting = this.unsynced.splice(0);
    this.syncWal!((error) => {
      this.syncing = false;
      this.stats.syncs++;
      if (error !== null) {
        this.failed = new Error(`jifen: the fsync of the write-ahead log failed, so recent writes may be lost; writes are refused until the server is restarted (${String(error)})`);
        console.error(this.failed.message);
        for (const answer of [...waiting, ...this.unsynced.splice(0)]) answer(this.failed);
        this.flush();
        return;
      }
      for (const answer of waiting) answer(null);
      this.startSync();
      this.schedule();
    });
  }
}

/** Makes everything written to a WAL so far durable, off the calling thread; calls back with null or the error. */
export type WalSyncer = (done: (error: Error | null) => void) => void;

/**
 * The fsync of a file database's WAL on the thread pool, or null for an in-memory database or
 * one not in WAL mode. The path is resolved now, against today's working directory. The WAL is
 * opened for each fsync and closed after it: a connection closed and opened again never leaves a
 * descriptor behind. Called only right after a commit wrote the WAL, so a WAL that is not there
 * is an error, never "nothing to sync".
 */
export function walSyncerFor(db: Database): WalSyncer | null {
  const path = walDatabasePath(db);
  if (path === null) return null;
  const walPath = `${path}-wal`;
  return (done) => {
    let fd: number;
    try {
      fd = openSync(walPath, "r+");
    } catch (error) {
      done(error as Error);
      return;
    }
    fsync(fd, (error) => {
      closeSync(fd);
      done(error ?? null);
    });
  };
}

const perConnection = new WeakMap<Database, GroupCommit>();

/** The one group commit of a connection: every writer of that connection must share it. */
export function groupCommitFor(db: Database): GroupCommit {
  let group = perConnection.get(db);
  if (group === undefined) {
    group = new GroupCommit(db);
    perConnection.set(db, group);
  }
  return group;
}

/** Large enough to amortise the fsync over a busy market day, small enough to bound latency. */
export const GROUP_COMMIT_BATCH_MAX = 64;

type Pending = { useCase: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
