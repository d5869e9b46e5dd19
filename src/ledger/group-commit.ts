/**
 * Group commit for the hot write path (recording awards over HTTP).
 *
 * A durable SQLite commit costs one fsync, and a Bun server is one thread: while one request's
 * commit waits on the disk, nothing else runs, so one award per commit caps the server far below
 * the disk's commit rate once HTTP, sign-in and JSON are paid for. Here, write jobs that arrive
 * while the event loop is busy are run together in ONE IMMEDIATE transaction: each job is still
 * its own use case and, because bun:sqlite turns a nested transaction into a SAVEPOINT, still
 * atomic on its own (a refused job rolls back alone and answers its refusal; the others commit).
 * Nobody is answered before the commit that holds their write has returned, so an acknowledged
 * award survives a power cut exactly as before. Jobs must be synchronous (no await), as always.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";

/** Bounds a group so one commit never holds the write lock for long. */
export const GROUP_JOBS_MAX = 64;

type Job = { run: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

export class GroupCommitter {
  private queue: Job[] = [];
  private scheduled = false;
  /** Jobs and groups committed, for the bench's report of the mean group size. */
  readonly stats = { jobs: 0, groups: 0 };

  constructor(private readonly db: Database) {}

  /** Runs `job` in the next group commit and resolves with its value once that commit is durable. */
  submit<T>(job: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: job, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O of this turn of the event loop, so requests that arrived together commit together.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.queue.splice(0, GROUP_JOBS_MAX);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      immediate(this.db, () => {
        for (const job of group) {
          try {
            // A nested transaction: its own SAVEPOINT, rolled back alone if the job throws.
            outcomes.push({ ok: true, value: this.db.transaction(job.run).immediate() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the group is written, so every job fails.
      for (const job of group) job.reject(error);
      return;
    }
    this.stats.jobs += group.length;
    this.stats.groups++;
    group.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}

const committers = new WeakMap<Database, GroupCommitter>();

/** One committer per database connection. */
export function groupCommitterFor(db: Database): GroupCommitter {
  let committer = committers.get(db);
  if (committer === undefined) {
    committer = new GroupCommitter(db);
    committers.set(db, committer);
  }
  return committer;
}
