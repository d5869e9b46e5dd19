// Days as the staff pages show them. A day is YYYY-MM-DD in Asia/Shanghai, the village's day,
// whatever the device's own time zone; numbers use Latin digits in every language, as the kiosk does.
import type { AdminLang } from "../i18n/index.ts";

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Today's date in China as YYYY-MM-DD. */
export function shanghaiToday(nowMs: number = Date.now()): string {
  return new Date(nowMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The day in China of an ISO time. */
export function shanghaiDayOf(iso: string): string {
  return shanghaiToday(Date.parse(iso));
}

/** 2026-12-04 → 2026年12月4日 / 2026-يىلى 12-ئاينىڭ 4-كۈنى; `short` leaves the year out. */
export function formatDay(day: string, lang: AdminLang, short = false): string {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return day;
  if (lang === "ug") return short ? `${m}-ئاينىڭ ${d}-كۈنى` : `${y}-يىلى ${m}-ئاينىڭ ${d}-كۈنى`;
  return short ? `${m}月${d}日` : `${y}年${m}月${d}日`;
}

/** An ISO time as the day and minute in China: 12月4日 14:05. */
export function formatTime(iso: string, lang: AdminLang): string {
  const shifted = new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString();
  return `${formatDay(shifted.slice(0, 10), lang, true)} ${shifted.slice(11, 16)}`;
}

/** Whole days from today (China) to the day of `iso`, rounded up: a notice ending tonight is 0. */
export function daysUntil(iso: string, nowMs: number = Date.now()): number {
  const end = Date.parse(shanghaiDayOf(iso));
  const today = Date.parse(shanghaiToday(nowMs));
  return Math.round((end - today) / 86_400_000);
}
