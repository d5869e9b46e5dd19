/**
 * Days and months as the villages live them: in Asia/Shanghai, which is UTC+8 all year (China has
 * no daylight saving time), so a fixed offset is exact. Pure.
 */
import { HOUR_MS } from "./clock.ts";

export const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

/** The calendar day (YYYY-MM-DD) in Asia/Shanghai at an instant. */
export function shanghaiDay(nowMs: number): string {
  return new Date(nowMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM` in Asia/Shanghai: what a villager reads on a receipt or a phone. */
export function shanghaiMinute(nowMs: number): string {
  return new Date(nowMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}

/** The calendar month (YYYY-MM) in Asia/Shanghai at an instant. */
export function shanghaiMonth(nowMs: number): string {
  return shanghaiDay(nowMs).slice(0, 7);
}

/** The first instant of a Shanghai calendar day, as epoch milliseconds. */
export function shanghaiDayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
}

/** The first instant of 1 January of `year` in Shanghai. */
export function shanghaiYearStartMs(year: number): number {
  return shanghaiDayStartMs(`${String(year).padStart(4, "0")}-01-01`);
}

/** The first and last day of the Shanghai month containing `nowMs`. */
export function monthBounds(month: string): { from: string; to: string } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(lastDay).padStart(2, "0")}` };
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
