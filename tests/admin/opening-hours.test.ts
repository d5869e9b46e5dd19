/**
 * The settings form's opening days and hours (admin/logic/opening-hours.ts): a draft becomes the
 * setting the server takes, or the reason it cannot; a stored setting becomes the draft again.
 * The server checks the same rules (tests/market/opening-hours.test.ts).
 */
import { describe, expect, test } from "bun:test";
import {
  DEFAULT_DRAFT,
  draftOf,
  hoursOf,
  type HoursDraft,
  type HoursProblem,
} from "../../admin/logic/opening-hours.ts";

const draft = (patch: Partial<HoursDraft>): HoursDraft => ({
  ...DEFAULT_DRAFT,
  limited: true,
  ...patch,
});

describe("opening hours in the settings form", () => {
  test("not limited is always open (null)", () => {
    expect(hoursOf(DEFAULT_DRAFT)).toEqual({ ok: true, value: null });
  });
  test("weekdays are sent sorted and once each", () => {
    expect(hoursOf(draft({ weekdays: [7, 6, 6] }))).toEqual({
      ok: true,
      value: { weekdays: [6, 7], opens: "08:00", closes: "12:00" },
    });
  });
  test("days of the month are read from what was typed, Chinese commas too", () => {
    expect(hoursOf(draft({ kind: "month", monthDays: "15，1、1" }))).toEqual({
      ok: true,
      value: { monthDays: [1, 15], opens: "08:00", closes: "12:00" },
    });
  });
  test.each<[HoursDraft, HoursProblem]>([
    [draft({ weekdays: [] }), "no-days"],
    [draft({ kind: "month", monthDays: " " }), "no-days"],
    [draft({ kind: "month", monthDays: "1, 32" }), "bad-month-days"],
    [draft({ kind: "month", monthDays: "1.5" }), "bad-month-days"],
    [draft({ opens: "" }), "bad-time"],
    [draft({ closes: "25:00" }), "bad-time"],
    [draft({ opens: "12:00", closes: "08:00" }), "closes-before-opens"],
  ])("%j is refused as %s", (d, problem) => {
    expect(hoursOf(d)).toEqual({ ok: false, problem });
  });
  test("a stored setting comes back as the same draft", () => {
    const stored = { monthDays: [1, 15], opens: "09:00", closes: "11:30" };
    const back = hoursOf(draftOf(stored));
    expect(back).toEqual({ ok: true, value: stored });
    expect(draftOf(null)).toEqual(DEFAULT_DRAFT);
  });
});
