// The village's opening days and hours as the settings form edits them, and back: pure, so the
// unit tests check them without a browser. The server validates the same rules (src/shared/opening-hours.ts).
import type { OpeningHours } from "../types.ts";

export type HoursDraft = {
  /** Off: always open (no setting). */
  limited: boolean;
  kind: "week" | "month";
  /** ISO days, 1 Monday … 7 Sunday. */
  weekdays: number[];
  /** Days of the month as typed: "1, 15". */
  monthDays: string;
  opens: string;
  closes: string;
};

export type HoursProblem = "no-days" | "bad-month-days" | "bad-time" | "closes-before-opens";

export const DEFAULT_DRAFT: HoursDraft = {
  limited: false,
  kind: "week",
  weekdays: [6],
  monthDays: "1, 15",
  opens: "08:00",
  closes: "12:00",
};

export function draftOf(hours: OpeningHours | null): HoursDraft {
  if (hours === null) return DEFAULT_DRAFT;
  const month = (hours.weekdays ?? []).length === 0;
  return {
    limited: true,
    kind: month ? "month" : "week",
    weekdays: hours.weekdays ?? [],
    monthDays: (hours.monthDays ?? []).join(", "),
    opens: hours.opens,
    closes: hours.closes,
  };
}

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;

/** The setting to send, or what is wrong with the draft. */
export function hoursOf(
  d: HoursDraft,
): { ok: true; value: OpeningHours | null } | { ok: false; problem: HoursProblem } {
  if (!d.limited) return { ok: true, value: null };
  let days: { weekdays: number[] } | { monthDays: number[] };
  if (d.kind === "week") {
    if (d.weekdays.length === 0) return { ok: false, problem: "no-days" };
    days = { weekdays: [...new Set(d.weekdays)].sort((a, b) => a - b) };
  } else {
    const parts = d.monthDays.split(/[,，、\s]+/).filter((p) => p !== "");
    const numbers = parts.map(Number);
    if (parts.length === 0) return { ok: false, problem: "no-days" };
    if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 31))
      return { ok: false, problem: "bad-month-days" };
    days = { monthDays: [...new Set(numbers)].sort((a, b) => a - b) };
  }
  if (!TIME.test(d.opens) || !TIME.test(d.closes)) return { ok: false, problem: "bad-time" };
  if (d.opens >= d.closes) return { ok: false, problem: "closes-before-opens" };
  return { ok: true, value: { ...days, opens: d.opens, closes: d.closes } };
}
