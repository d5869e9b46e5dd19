/**
 * Calendar days and months as the township lives them: Beijing time (UTC+8, no daylight saving).
 * Pure. A sale at 07:30 on 3 March in Beijing is 23:30 on 2 March in UTC, and belongs to 3 March.
 */
import { HOUR_MS } from "../shared/clock.ts";

export const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** `YYYY-MM-DD` in Beijing time. */
export function beijingDay(nowMs: number): string {
  return new Date(nowMs + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The months `YYYY-MM` from the month of `fromDay` to the month of `toDay`, both included. */
export function monthsBetween(fromDay: string, toDay: string): string[] {
  const months: string[] = [];
  let year = Number(fromDay.slice(0, 4));
  let month = Number(fromDay.slice(5, 7));
  const last = toDay.slice(0, 7);
  for (;;) {
    const current = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
    if (current > last) break;
    months.push(current);
    month++;
    if (month === 13) {
      month = 1;
      year++;
    }
  }
  return months;
}

/** The first day of the month `monthsBack` months before the month of `day`. */
export function firstDayMonthsBefore(day: string, monthsBack: number): string {
  const index = Number(day.slice(0, 4)) * 12 + (Number(day.slice(5, 7)) - 1) - monthsBack;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-01`;
}
