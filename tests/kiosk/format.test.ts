// Proves the kiosk's own number and date formatting, used because Chromium has no Uyghur locale
// data: Latin digits grouped by three in every language, and dates in each language's order.
import { test, expect } from "bun:test";
import { formatDateTime, formatPoints, secondsLeft } from "../../ui/format.ts";

test.each([
  [0, "0"],
  [7, "7"],
  [999, "999"],
  [1000, "1,000"],
  [12345, "12,345"],
  [1234567, "1,234,567"],
  [-1280, "\u22121,280"],
])("formats %p points as %p", (n, s) => {
  expect(formatPoints(n, "zh-CN")).toBe(s);
});

test("formats Uyghur points with Latin digits, not Arabic-Indic ones", () => {
  expect(formatPoints(1280, "ug")).toBe("1,280");
  expect(formatPoints(1280, "ug")).not.toMatch(/[\u0660-\u0669\u06f0-\u06f9]/);
});

test("formats a receipt time in each language", () => {
  const p = { year: 2026, month: 11, day: 3, hour: 9, minute: 5 };
  expect(formatDateTime(p, "zh-CN")).toBe("2026年11月3日 09:05");
  expect(formatDateTime(p, "en")).toBe("3 Nov 2026 09:05");
  expect(formatDateTime(p, "ug")).toBe("2026-يىلى 11-ئاينىڭ 3-كۈنى 09:05");
});

test("counts seconds left upwards and never below zero", () => {
  expect(secondsLeft(20_000, 0)).toBe(20);
  expect(secondsLeft(20_000, 19_001)).toBe(1);
  expect(secondsLeft(20_000, 25_000)).toBe(0);
});
