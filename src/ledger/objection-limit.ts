/** The public objection limit, one per database, shared by the API and the resident card page's form. */
import { limiterPerDatabase } from "../http/rate-limit.ts";
import { MINUTE_MS } from "../shared/clock.ts";

/** One address may object at most this many times a minute: objections are cheap to send. */
export const PUBLIC_OBJECTIONS_PER_MINUTE = 10;

/** The one objection limit of a database, shared by the API and the resident page's form. */
export const objectionLimiterFor = limiterPerDatabase(PUBLIC_OBJECTIONS_PER_MINUTE, MINUTE_MS);
