/**
 * When a village's points supermarket is open (issue 18): on some days of the week or of the
 * month (or both: a day that is either is open), from `opens` to `closes`, Beijing time. No
 * setting (null) is always open, as villages were before. Days of the week are ISO numbers,
 * 1 Monday to 7 Sunday; a day of the month that a month lacks (31 in April) is skipped that month.
 * `closes` may be 24:00; an opening never runs past midnight. Pure: the schema the village
 * settings validate with, and the reckoning of open now / opens next / closes next.
 */
import { z } from "zod";
import { DAY_MS, MINUTE_MS } from "./clock.ts";
import { shanghaiDay, shanghaiDayStartMs } from "./calendar.ts";

const MINUTES_PER_HOUR = 60;
/** Far enough ahead to find the next opening of any valid setting (a 31st can be 62 days away). */
const LOOKAHEAD_DAYS = 70;

const ClockTime = z
  .string()
  .regex(/^([01][0-9]|2[0-4]):[0-5][0-9]$/, "must be a time HH:MM")
  .refine((t) => t <= "24:00", "must be 00:00 to 24:00");

export const OpeningHoursSchema = z
  .strictObject({
    weekdays: z
      .array(z.number().int().min(1).max(7))
      .max(7)
      .optional()
      .describe("ISO days of the week: 1 Monday … 7 Sunday"),
    monthDays: z
      .array(z.number().int().min(1).max(31))
      .max(31)
      .optional()
      .describe("days of the month, 1 … 31"),
    opens: ClockTime.describe("HH:MM, Beijing time"),
    closes: ClockTime.describe("HH:MM, Beijing time, after opens; 24:00 is midnight"),
  })
  .refine((h) => (h.weekdays?.length ?? 0) + (h.monthDays?.length ?? 0) > 0, {
    message: "name at least one day of the week or of the month",
    path: ["weekdays"],
    params: { code: "no-opening-days" },
  })
  .refine(
    (h) =>
      new Set(h.weekdays ?? []).size === (h.weekdays ?? []).length &&
      new Set(h.monthDays ?? []).size === (h.monthDays ?? []).length,
    {
      message: "each day once",
      path: ["weekdays"],
      params: { code: "opening-day-twice" },
    },
  )
  .refine((h) => h.opens < h.closes, {
    message: "closes must be after opens",
    path: ["closes"],
    params: { code: "closes-before-opens" },
  });

export type OpeningHours = z.infer<typeof OpeningHoursSchema>;

export type MarketState = {
  open: boolean;
  /** When it next opens (epoch ms); null while open or when it never closes. */
  opensAtMs: number | null;
  /** When it next closes (epoch ms); null while closed or when it never closes. */
  closesAtMs: number | null;
};

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * MINUTES_PER_HOUR + Number(time.slice(3, 5));
}

/** Whether the supermarket opens at all on a Beijing day `YYYY-MM-DD`. */
export function opensOnDay(hours: OpeningHours, day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  return (
    (hours.weekdays ?? []).includes(isoWeekday) ||
    (hours.monthDays ?? []).includes(date.getUTCDate())
  );
}

/** Open now, and when it next opens or closes; `hours` null is always open. */
export function marketState(hours: OpeningHours | null, nowMs: number): MarketState {
  if (hours === null) return { open: true, opensAtMs: null, closesAtMs: null };
  const opensMs = minutesOf(hours.opens) * MINUTE_MS;
  const closesMs = minutesOf(hours.closes) * MINUTE_MS;
  const todayStartMs = shanghaiDayStartMs(shanghaiDay(nowMs));
  for (let i = 0; i < LOOKAHEAD_DAYS; i++) {
    const dayStartMs = todayStartMs + i * DAY_MS;
    if (!opensOnDay(hours, shanghaiDay(dayStartMs))) continue;
    if (nowMs >= dayStartMs + closesMs) continue;
    if (nowMs >= dayStartMs + opensMs)
      return { open: true, opensAtMs: null, closesAtMs: dayStartMs + closesMs };
    return { open: false, opensAtMs: dayStartMs + opensMs, closesAtMs: null };
  }
  // Unreachable for a setting the schema accepted: every day of the month recurs within 62 days.
  return { open: false, opensAtMs: null, closesAtMs: null };
}
