/**
 * Suspension of redemptions (一票否决). A rule may carry `suspend_months`; a deduction recorded
 * under it copies the months onto the entry (migrations/0017), and once posted it suspends the
 * household's redemptions from the deduction's day (occurredOn, a Beijing date) for that many
 * months. The suspension is never stored: it is read from the entries every time, so it is always
 * provable from the ledger. It ends by itself on `until` (the first day the household may redeem
 * again), and at once when the deduction is reversed. With several suspending deductions the one
 * that ends last counts.
 */
import type { Database } from "bun:sqlite";

export const SUSPEND_MONTHS_MIN = 1;
export const SUSPEND_MONTHS_MAX = 24;

export type Suspension = {
  /** The first Beijing day on which the household may redeem again. */
  until: string;
  /** The deduction's day: the suspension's first day. */
  fromDay: string;
  entryId: number;
  ruleTitle: string;
  months: number;
};

/**
 * `day` moved `months` calendar months on; a day the target month lacks becomes its last day
 * (31 January + 1 month = 28 or 29 February). Pure.
 */
export function addMonths(day: string, months: number): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1 + months;
  const dayOfMonth = Number(day.slice(8, 10));
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const d = Math.min(dayOfMonth, lastDay);
  return `${String(targetYear).padStart(4, "0")}-${String(targetMonth + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

type SuspendingRow = {
  id: number;
  occurred_on: string;
  suspend_months: number;
  rule_title: string | null;
};

/**
 * The household's suspension on `today` (a Beijing day), or null. Reads the household's posted
 * suspending deductions through the partial index entries_suspending (a few rows), each checked
 * for a posted reversal through UNIQUE(reverses_id).
 */
export function suspensionOf(db: Database, householdId: number, today: string): Suspension | null {
  const rows = db
    .query<SuspendingRow, [number]>(
      `SELECT e.id, e.occurred_on, e.suspend_months, e.rule_title FROM entries e INDEXED BY entries_suspending
       WHERE e.household_id = ? AND e.suspend_months IS NOT NULL AND e.status = 'posted'
         AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.reverses_id = e.id AND r.status = 'posted')`,
    )
    .all(householdId);
  let latest: Suspension | null = null;
  for (const row of rows) {
    const until = addMonths(row.occurred_on, row.suspend_months);
    if (until <= today) continue;
    if (
      latest === null ||
      until > latest.until ||
      (until === latest.until && row.id > latest.entryId)
    ) {
      latest = {
        until,
        fromDay: row.occurred_on,
        entryId: row.id,
        ruleTitle: row.rule_title ?? "",
        months: row.suspend_months,
      };
    }
  }
  return latest;
}

/** Whether the household has any posted suspending deduction at all: the cheap first look. */
export function maySuspend(db: Database, householdId: number): boolean {
  return (
    db
      .query(
        "SELECT 1 FROM entries INDEXED BY entries_suspending WHERE household_id = ? AND suspend_months IS NOT NULL AND status = 'posted' LIMIT 1",
      )
      .get(householdId) !== null
  );
}
