/**
 * The honour score (issue 18) and a household's months by category, read from the ledger. Every
 * statement and every verification computes them from the posted entries; the pages and the card
 * reads show the household's kept total (`households.honour`, moved by triggers of
 * migrations/0019 as entries post, and proved equal to this sum by `bun run verify`).
 *
 * The honour score is all points ever earned less deductions: posted awards and deductions, and
 * posted reversals of awards and deductions (so a reversed award counts as never earned). Never
 * redemptions, voids (the reversal of a redemption) or the year-end expiry and its reversal:
 * spending and expiry move the balance, not the honour. A month's figures count the same entries
 * by the day they happened (`occurredOn`, which a reversal keeps from the entry it reverses), in
 * the category of their rule (which a reversal keeps too).
 */
import type { Database } from "bun:sqlite";
import { firstDayMonthsBefore, monthBounds, monthsBetween } from "../shared/calendar.ts";
import { starsFor } from "../ledger/report.ts";

/** How many months a statement shows, the month it is issued in included. */
export const STATEMENT_MONTHS = 12;

export type CategoryFigure = { category: string; earned: number };
export type MonthFigures = { month: string; byCategory: CategoryFigure[]; earned: number };

/** Posted awards and deductions, and posted reversals of them: the entries the honour counts. */
const HONOUR_ENTRIES = `e.status = 'posted' AND (e.kind IN ('award', 'deduction')
  OR (e.kind = 'reversal' AND (SELECT o.kind FROM entries o WHERE o.id = e.reverses_id) IN ('award', 'deduction')))`;

/*
 * Both reads walk the household's own entries (entries_household), named: with the day range the
 * planner would otherwise take the report index and walk every entry of the township in those
 * twelve months (tests/statements/query-plans.test.ts).
 */
export function honourScore(db: Database, householdId: number): number {
  return db
    .query<{ total: number }, [number]>(
      `SELECT coalesce(sum(e.points), 0) AS total FROM entries e INDEXED BY entries_household WHERE e.household_id = ? AND ${HONOUR_ENTRIES}`,
    )
    .get(householdId)!.total;
}

/** The months of a statement issued on `day` (YYYY-MM-DD): the twelve up to and including its month, oldest first. */
export function statementMonths(day: string): string[] {
  return monthsBetween(firstDayMonthsBefore(day, STATEMENT_MONTHS - 1), day);
}

/** Net points of honour by month and category, for the months given (consecutive, oldest first); every month listed, empty ones too. */
export function monthsByCategory(
  db: Database,
  householdId: number,
  months: readonly string[],
): MonthFigures[] {
  const first = months[0];
  const last = months[months.length - 1];
  if (first === undefined || last === undefined) return [];
  const rows = db
    .query<{ month: string; category: string; earned: number }, [number, string, string]>(
      `SELECT substr(e.occurred_on, 1, 7) AS month, coalesce(e.category, 'other') AS category, sum(e.points) AS earned FROM entries e INDEXED BY entries_household
       WHERE e.household_id = ? AND e.occurred_on BETWEEN ? AND ? AND ${HONOUR_ENTRIES}
       GROUP BY month, category ORDER BY month, category`,
    )
    .all(householdId, monthBounds(first).from, monthBounds(last).to);
  const byMonth = new Map<string, CategoryFigure[]>(months.map((m) => [m, []]));
  for (const r of rows) {
    // A category whose entries cancel out (an award and its reversal) is not listed.
    if (r.earned !== 0) byMonth.get(r.month)?.push({ category: r.category, earned: r.earned });
  }
  return months.map((month) => {
    const byCategory = byMonth.get(month)!;
    return { month, byCategory, earned: byCategory.reduce((sum, c) => sum + c.earned, 0) };
  });
}

/** The star tier an honour score reaches under a village's thresholds: null where the village rates no stars. */
export function starOf(score: number, thresholds: readonly number[]): number | null {
  return thresholds.length === 0 ? null : starsFor(score, thresholds);
}

/** Each village's star thresholds (ascending), by village id. */
export function thresholdsOfVillages(
  db: Database,
  villageIds: Iterable<number>,
): Map<number, number[]> {
  const query = db.query<{ star_thresholds: string }, [number]>(
    "SELECT star_thresholds FROM villages WHERE id = ?",
  );
  const out = new Map<number, number[]>();
  for (const id of villageIds) {
    if (out.has(id)) continue;
    const row = query.get(id);
    out.set(id, row === null ? [] : (JSON.parse(row.star_thresholds) as number[]));
  }
  return out;
}
