/**
 * Year-end expiry (年度清零), where a village turns it on.
 *
 * The rule, for each household of the village and year Y (days in Asia/Shanghai; "posted in Y"
 * means the entry counted, i.e. was posted, between 1 January of Y and 1 January of Y+1):
 *
 *   earned   = the net of awards and deductions posted in Y, reversals of them included
 *   atEnd    = the balance at the end of Y (every entry posted before 1 January of Y+1)
 *   now      = the balance when the expiry runs
 *   expired  = max(0, min(earned, atEnd, now))
 *
 * Why: spending is taken first from older points (they would otherwise sit forever), so what is
 * left of Y's earnings at the end of Y is min(earned, atEnd); points spent by then are never
 * expired. `now` caps it again because points spent after the year ended but before the run were
 * already spent: expiry never takes a balance below zero, so nothing spent is clawed back. A
 * negative `earned` (more deducted than awarded) expires nothing. Expiry entries and redemptions
 * are never "earned", so a previous year's expiry is never expired again. One run per village and
 * year (`expiry_runs`), so running it twice expires nothing twice.
 *
 * Known edge: a Y award reversed in Y+1 after Y's expiry lowers Y+1's earnings; if its points
 * had already expired, the reversal takes them from the balance a second time.
 */
import type { Database } from "bun:sqlite";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { findVillage } from "../villages/village-store.ts";
import { shanghaiYearStartMs } from "../shared/calendar.ts";
import { appendPostedEntry } from "./entry-store.ts";
import type { StaffRef } from "./entry.ts";
import { inTransaction, refuse, type LedgerResult } from "./refusal.ts";

export type ExpiryOutcome = {
  villageId: number;
  year: number;
  entries: number;
  expiredPoints: number;
  ranAtMs: number;
  alreadyRan: boolean;
};

/** The pure rule above. */
export function pointsToExpire(earned: number, balanceAtEnd: number, balanceNow: number): number {
  return Math.max(0, Math.min(earned, balanceAtEnd, balanceNow));
}

type HouseholdYear = { id: number; balance: number; at_end: number; earned: number };

export function expireYear(
  db: Database,
  audit: AuditContext,
  by: StaffRef,
  villageId: number,
  year: number,
): LedgerResult<ExpiryOutcome> {
  return inTransaction(db, () => {
    const village = findVillage(db, villageId);
    if (village === null) refuse("not-found", `No village ${villageId}.`);
    const done = db
      .query<{ ran_at_ms: number; entries: number; expired_points: number }, [number, number]>(
        "SELECT ran_at_ms, entries, expired_points FROM expiry_runs WHERE village_id = ? AND year = ?",
      )
      .get(villageId, year);
    if (done !== null)
      return {
        villageId,
        year,
        entries: done.entries,
        expiredPoints: done.expired_points,
        ranAtMs: done.ran_at_ms,
        alreadyRan: true,
      };
    if (village.points_expire !== 1)
      refuse("conflict", "Points do not expire in this village (pointsExpire is off).");
    const startMs = shanghaiYearStartMs(year);
    const endMs = shanghaiYearStartMs(year + 1);
    if (audit.nowMs < endMs)
      refuse("conflict", `The year ${year} has not ended yet (Asia/Shanghai).`);

    const households = db
      .query<HouseholdYear, [number, number, number]>(
        `SELECT h.id, h.balance,
           (SELECT coalesce(sum(e.points), 0) FROM entries e WHERE e.household_id = h.id AND e.status = 'posted' AND e.posted_at_ms < ?1) AS at_end,
           (SELECT coalesce(sum(e.points), 0) FROM entries e LEFT JOIN entries o ON o.id = e.reverses_id
              WHERE e.household_id = h.id AND e.status = 'posted' AND e.posted_at_ms >= ?2 AND e.posted_at_ms < ?1
                AND (e.kind IN ('award', 'deduction') OR (e.kind = 'reversal' AND o.kind IN ('award', 'deduction')))) AS earned
         FROM households h WHERE h.village_id = ?3 ORDER BY h.id`,
      )
      .all(endMs, startMs, villageId);
    let entries = 0;
    let expiredPoints = 0;
    for (const h of households) {
      const points = pointsToExpire(h.earned, h.at_end, h.balance);
      if (points === 0) continue;
      appendPostedEntry(
        db,
        {
          villageId,
          householdId: h.id,
          kind: "expiry",
          points: -points,
          note: `${year}年度积分清零 (earned ${h.earned}, balance at year end ${h.at_end})`,
          occurredOn: `${year}-12-31`,
          batchId: `expiry:${villageId}:${year}`,
          createdAtMs: audit.nowMs,
          createdBy: by.username,
        },
        audit.nowMs,
      );
      entries++;
      expiredPoints += points;
    }
    db.query(
      "INSERT INTO expiry_runs (village_id, year, ran_at_ms, entries, expired_points) VALUES (?, ?, ?, ?, ?)",
    ).run(villageId, year, audit.nowMs, entries, expiredPoints);
    recordAudit(db, audit, {
      action: "expire_year",
      entity: "village",
      entityId: villageId,
      villageId,
      detail: { year, entries, expiredPoints },
    });
    return { villageId, year, entries, expiredPoints, ranAtMs: audit.nowMs, alreadyRan: false };
  });
}
