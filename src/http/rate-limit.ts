import type { Database } from "bun:sqlite";
import { SECOND_MS } from "../shared/clock.ts";
import { ProblemError } from "./problem.ts";

/**
 * A fixed-window counter per key, in memory. Used for the public card endpoints, where a client
 * address may read at most `max` times a window; a restart forgets the counts, which is harmless
 * for a limit that only slows guessing.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { startMs: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until the key may try again, or 0 when this try is allowed (and counted). */
  hit(key: string, nowMs: number): number {
    const current = this.windows.get(key);
    if (!current || nowMs - current.startMs >= this.windowMs) {
      if (this.windows.size > 10_000) this.prune(nowMs);
      this.windows.set(key, { startMs: nowMs, count: 1 });
      return 0;
    }
    if (current.count >= this.max) return current.startMs + this.windowMs - nowMs;
    current.count++;
    return 0;
  }

  /** Counts a try and throws the 429 problem, with `Retry-After`, when the key is over its limit. */
  enforce(key: string, nowMs: number, detail: string): void {
    const waitMs = this.hit(key, nowMs);
    if (waitMs > 0)
      throw new ProblemError(429, "rate-limited", detail, undefined, {
        "retry-after": String(Math.ceil(waitMs / SECOND_MS)),
      });
  }

  private prune(nowMs: number): void {
    for (const [key, w] of this.windows)
      if (nowMs - w.startMs >= this.windowMs) this.windows.delete(key);
  }
}

/**
 * One limiter per database, made on first use: a limit that the API and a page's form share
 * (they are handed the same database), and that each test's app has of its own.
 */
export function limiterPerDatabase(max: number, windowMs: number): (db: Database) => RateLimiter {
  const limiters = new WeakMap<Database, RateLimiter>();
  return (db) => {
    let limiter = limiters.get(db);
    if (limiter === undefined) limiters.set(db, (limiter = new RateLimiter(max, windowMs)));
    return limiter;
  };
}
