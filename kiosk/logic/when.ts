// Days and times as the villagers read them on the kiosk, in Beijing time whatever the tablet's own
// clock zone says (China is UTC+8 all year). Pure.
import type { Lang } from "../../ui/format.ts";

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const WEEKDAYS: Record<Lang, readonly string[]> = {
  "zh-CN": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
  ug: ["يەكشەنبە", "دۈشەنبە", "سەيشەنبە", "چارشەنبە", "پەيشەنبە", "جۈمە", "شەنبە"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};
const MONTHS_EN = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function dayText(y: number, m: number, d: number, weekday: number, lang: Lang): string {
  const w = WEEKDAYS[lang][weekday] ?? "";
  if (lang === "zh-CN") return `${y}年${m}月${d}日（${w}）`;
  if (lang === "ug") return `${y}-يىلى ${m}-ئاينىڭ ${d}-كۈنى (${w})`;
  return `${w} ${d} ${MONTHS_EN[m - 1] ?? ""} ${y}`;
}

/** A Beijing day YYYY-MM-DD as words with its weekday: 2026年6月2日（星期二）. */
export function formatBeijingDay(day: string, lang: Lang): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return dayText(
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCDay(),
    lang,
  );
}

/** An instant as its Beijing day (with weekday) and time: 2026年3月7日（星期六） 08:00. */
export function formatBeijingTime(iso: string, lang: Lang): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const b = new Date(ms + BEIJING_OFFSET_MS);
  return `${dayText(b.getUTCFullYear(), b.getUTCMonth() + 1, b.getUTCDate(), b.getUTCDay(), lang)} ${pad2(b.getUTCHours())}:${pad2(b.getUTCMinutes())}`;
}
