/** The public objection limit, one per database, shared by the API and the resident card page's form. */
import type { Database } from "bun:sqlite";
import { RateLimiter } from "../http/rate-limit.ts";
import { MINUTE_MS } from "../shared/clock.ts";

/** One address may object at most this many times a minute: objections are cheap to send. */
export const PUBLIC_OBJECTIONS_PER_MINUTE = 10;

const objectionLimiters = new WeakMap<Database, RateLimiter>();
/** The one objection limit of a database, shared by the API and the resident page's form. */
export function objectionLimiterFor(db: Database): RateLimiter {
  let limiter = objectionLimiters.get(db);
  if (limiter === undefined)
    objectionLimiters.set(db, (limiter = new RateLimiter(PUBLIC_OBJECTIONS_PER_MINUTE, MINUTE_MS)));
  return limiter;
}
