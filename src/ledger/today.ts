/**
 * What waits for a staff member today (the staff pages' start page): the village's review queue
 * counted from the caller's side, and the month at a glance. Reads only, each count on the
 * review-queue index (entries_queue), the month from the report's covering index.
 */
import type { Database } from "bun:sqlite";
import { DAY_MS } from "../shared/clock.ts";
import { monthBounds, shanghaiMonth } from "../shared/calendar.ts";
import { periodTotals } from "./report.ts";

/** An entry whose notice ends within this long is "ending soon". */
export const NOTICE_ENDING_SOON_MS = 3 * DAY_MS;

export type TodayQueue = {
  toApprove: number;
  ownProposed: number;
  claims: number;
  objections: number;
  noticesEndingSoon: number;
};
export type TodayMonth = {
  month: string;
  awarded: number;
  deducted: number;
  redeemed: number;
  activeHouseholds: number;
  households: number;
};

/**
 * The queue as `username` sees it: proposed entries someone else recorded (theirs to approve:
 * nobody approves their own), their own still proposed, claims, disputed entries, and entries
 * whose notice ends within three days. Call after posting due entries.
 */
export function todayQueue(
  db: Database,
  villageId: number,
  username: string,
  nowMs: number,
): TodayQueue {
  const proposed = db
    .query<
      { others: number | null; own: number | null; claims: number | null },
      [string, string, number]
    >(
      `SELECT sum(lower(created_by) <> lower(?)) AS others, sum(lower(created_by) = lower(?)) AS own, sum(is_claim) AS claims
       FROM entries WHERE village_id = ? AND status = 'proposed' AND status <> 'posted'`,
    )
    .get(username, username, villageId)!;
  const objections = db
    .query<{ n: number }, [number]>(
      "SELECT count(*) AS n FROM entries WHERE village_id = ? AND status = 'disputed' AND status <> 'posted'",
    )
    .get(villageId)!.n;
  const endingSoon = db
    .query<{ n: number }, [number, number]>(
      "SELECT count(*) AS n FROM entries WHERE village_id = ? AND status = 'in_notice' AND status <> 'posted' AND notice_ends_at_ms <= ?",
    )
    .get(villageId, nowMs + NOTICE_ENDING_SOON_MS)!.n;
  return {
    toApprove: proposed.others ?? 0,
    ownProposed: proposed.own ?? 0,
    claims: proposed.claims ?? 0,
    objections,
    noticesEndingSoon: endingSoon,
  };
}

/** This Asia/Shanghai month's figures as the village report counts them, and the households. */
export function todayMonth(db: Database, villageId: number, nowMs: number): TodayMonth {
  const month = shanghaiMonth(nowMs);
  const { from, to } = monthBounds(month);
  const { totals, householdsActive } = periodTotals(db, [villageId], from, to);
  const households = db
    .query<{ n: number }, [number]>("SELECT count(*) AS n FROM households WHERE village_id = ?")
    .get(villageId)!.n;
  return {
    month,
    awarded: totals.awarded,
    deducted: totals.deducted,
    redeemed: totals.redeemed,
    activeHouseholds: householdsActive,
    households,
  };
}
