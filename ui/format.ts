// Numbers and times as the kiosk shows them. Chromium has no `ug` locale data (Intl falls back to
// English), so the kiosk formats for every language in its own code, with Latin digits, the same
// way everywhere. The caller wraps the result in <bdi> so it keeps its order in right-to-left text.

export type Lang = "zh-CN" | "en" | "ug";

/** Whole points with a comma every three digits: 12,345. A minus is the true minus sign. */
export function formatPoints(points: number, _lang: Lang): string {
  if (!Number.isFinite(points)) return "—";
  const n = Math.trunc(points);
  const digits = String(Math.abs(n));
  let grouped = "";
  for (let i = 0; i < digits.length; i++) {
    const fromEnd = digits.length - i;
    grouped += digits[i];
    if (fromEnd > 1 && fromEnd % 3 === 1) grouped += ",";
  }
  return n < 0 ? `\u2212${grouped}` : grouped;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export interface DateParts {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
}

export function localDateParts(date: Date): DateParts {
  return {
    year: date.getFullYear(),
    month: date.getMonth() + 1,
    day: date.getDate(),
    hour: date.getHours(),
    minute: date.getMinutes(),
  };
}

/** A receipt's time: 2026年11月23日 14:05, 23 Nov 2026 14:05, 2026-يىلى 11-ئاينىڭ 23-كۈنى 14:05. */
export function formatDateTime(p: DateParts, lang: Lang): string {
  const time = `${pad2(p.hour)}:${pad2(p.minute)}`;
  if (lang === "zh-CN") return `${p.year}年${p.month}月${p.day}日 ${time}`;
  if (lang === "ug") return `${p.year}-يىلى ${p.month}-ئاينىڭ ${p.day}-كۈنى ${time}`;
  const months = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
  ];
  return `${p.day} ${months[p.month - 1] ?? ""} ${p.year} ${time}`;
}

/** Seconds left on a countdown, never below zero, rounded up so "1" shows until the very end. */
export function secondsLeft(deadlineMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000));
}

/** A printed card number in two groups of four, as on the card: 1234 5678. */
export function formatCardNumber(number: string): string {
  return number.length === 8 ? `${number.slice(0, 4)} ${number.slice(4)}` : number;
}
