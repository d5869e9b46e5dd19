import type { Database } from "bun:sqlite";
import type { Clock } from "../shared/clock.ts";
import { SECOND_MS } from "../shared/clock.ts";
import { postDueEntries } from "./posting.ts";

/** How often the server looks for entries whose notice has ended. The probe is one indexed read. */
export const NOTICE_CHECK_INTERVAL_MS = 10 * SECOND_MS;

/**
 * Posts due entries at start and then every NOTICE_CHECK_INTERVAL_MS, so an entry is posted when
 * its notice ends even if nobody opens a page. Reads that show balances also post what is due
 * first (see `postDueEntries` callers), so nobody sees a stale balance in between.
 */
export function startNoticeScheduler(
  db: Database,
  clock: Clock,
  intervalMs: number = NOTICE_CHECK_INTERVAL_MS,
): { stop: () => void } {
  const tick = (): void => {
    try {
      postDueEntries(db, clock.nowMs());
    } catch (error) {
      // A busy database or a closed one at shutdown: the next tick tries again.
      console.error(
        JSON.stringify({
          level: "error",
          kind: "notice-scheduler",
          message: (error as Error).message,
        }),
      );
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return { stop: () => clearInterval(timer) };
}
