/**
 * Points and dates as the server's pages show them. Chinese and English keep the plain forms the
 * pages always had (12345, -3, 2026-03-04); Uyghur is formatted exactly as the kiosk formats it
 * (ui/format.ts: Latin digits grouped by three, the true minus sign, "2026-يىلى 3-ئاينىڭ 4-كۈنى"),
 * since Chromium has no `ug` locale data and `Intl` would answer in English. Pure.
 */
import { formatDateTime, formatPoints } from "../../ui/format.ts";
import type { Locale } from "../i18n/catalog.ts";
import { SHANGHAI_OFFSET_MS, shanghaiMinute } from "../shared/calendar.ts";

/** Points as the pages show them: a sign on every non-zero figure (+5, -3, 0; in Uyghur +1,234, −3). */
export function signed(points: number, locale: Locale = "zh-CN"): string {
  if (locale !== "ug") return points > 0 ? `+${points}` : String(points);
  return points > 0 ? `+${formatPoints(points, "ug")}` : formatPoints(points, "ug");
}

/** A figure without a sign of its own: a balance, a count of points. */
export function figure(points: number, locale: Locale = "zh-CN"): string {
  return locale === "ug" ? formatPoints(points, "ug") : String(points);
}

function dayParts(day: string): { year: number; month: number; day: number } {
  return {
    year: Number(day.slice(0, 4)),
    month: Number(day.slice(5, 7)),
    day: Number(day.slice(8, 10)),
  };
}

/** A calendar day (YYYY-MM-DD): as it is, or in Uyghur words (the kiosk's date without its time). */
export function dayText(day: string, locale: Locale): string {
  if (locale !== "ug") return day;
  const p = dayParts(day);
  return `${p.year}-يىلى ${p.month}-ئاينىڭ ${p.day}-كۈنى`;
}

/** A day without its year, for a board's narrow columns: 03-04, or "3-ئاينىڭ 4-كۈنى". */
export function monthDayText(day: string, locale: Locale): string {
  if (locale !== "ug") return day.slice(5);
  const p = dayParts(day);
  return `${p.month}-ئاينىڭ ${p.day}-كۈنى`;
}

/** An instant to the minute in Asia/Shanghai: 2026-03-04 14:05, or the kiosk's Uyghur receipt time. */
export function minuteText(atMs: number, locale: Locale): string {
  if (locale !== "ug") return shanghaiMinute(atMs);
  const d = new Date(atMs + SHANGHAI_OFFSET_MS);
  return formatDateTime(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
    },
    "ug",
  );
}
