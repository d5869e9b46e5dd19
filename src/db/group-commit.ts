import type { Database } from "bun:sqlite";
import { immediate } from "./open.ts";

/**
 * Group commit: the write use cases that arrive in one turn of the event loop run in ONE
 * IMMEDIATE transaction, each under its own savepoint, and share one commit with
 * synchronous=FULL (one fsync). Every caller is answered after that commit, so an acknowledged
 * point survives a power cut. A use case that throws rolls back to its savepoint alone and its
 * caller gets the error; the others commit.
 *
 * Why: with FULL the commit of a sale costs more than the sale itself (its WAL frames and the
 * fsync): with one commit per sale, 20 kiosks selling at once got about a fifth of the sales a
 * second, at a p99 of 88-277 ms (tests/bench/RESULTS.md, 2026-12-04, issue 21). Under load the
 * group grows by itself: while one commits, the next requests queue.
 *
 * Each use case must be synchronous, exactly as inside `immediate()`: the group runs them one
 * after another with no await between, so no other writer can interleave. A use case that calls
 * `immediate()` itself nests as a savepoint inside its own.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Use cases and commits so far: the benches report the mean group size. */
  readonly stats = { jobs: 0, groups: 0 };

  constructor(
    private readonly db: Database,
    private readonly batchMax: number = GROUP_COMMIT_BATCH_MAX,
  ) {}

  run<T>(useCase: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ useCase, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * Resolves once every use case queued so far has committed or been refused: what a server's
   * shutdown awaits after it stops taking requests, before it closes the connection.
   */
  drained(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    // The queue runs in order: a no-op queued last is answered after everything before it.
    return this.run(() => undefined);
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate, not a microtask: requests parsed in this turn of the event loop join.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.batchMax);
    this.schedule();
    const outcomes: Outcome[] = [];
    try {
      // BEGIN itself, not immediate(): a transaction left open on the connection is an error
      // here, never something this batch joins.
      this.db.run("BEGIN IMMEDIATE");
      for (const item of batch) {
        try {
          outcomes.push({ ok: true, value: immediate(this.db, item.useCase) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
      this.db.run("COMMIT");
    } catch (error) {
      // The transaction could not begin or commit (a lock timeout, a full disk): nothing of it stays.
      if (this.db.inTransaction) this.db.run("ROLLBACK");
      for (const item of batch) item.reject(error);
      return;
    }
    this.stats.jobs += batch.length;
    this.stats.groups++;
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
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

/** Commits what is queued on the connection, then closes it. */
export async function closeDatabase(db: Database): Promise<void> {
  await perConnection.get(db)?.drained();
  db.close();
}

/** Large enough to share the fsync over a rush of sales, small enough to bound latency. */
export const GROUP_COMMIT_BATCH_MAX = 64;

type Pending = {
  useCase: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
