/**
 * Days and times on the kiosk (kiosk/logic/when.ts) are Beijing's, whatever the tablet's zone:
 * the day a suspension ends, and when the supermarket opens next, in each language.
 */
import { expect, test } from "bun:test";
import { formatBeijingDay, formatBeijingTime } from "../../kiosk/logic/when.ts";

test("a Beijing day with its weekday in each language", () => {
  expect(formatBeijingDay("2026-06-02", "zh-CN")).toBe("2026年6月2日（星期二）");
  expect(formatBeijingDay("2026-06-02", "en")).toBe("Tuesday 2 June 2026");
  expect(formatBeijingDay("2026-06-02", "ug")).toBe("2026-يىلى 6-ئاينىڭ 2-كۈنى (سەيشەنبە)");
});

test("an instant is read in Beijing: 16:30 UTC on Friday is Saturday 00:30 there", () => {
  expect(formatBeijingTime("2026-03-06T16:30:00.000Z", "zh-CN")).toBe(
    "2026年3月7日（星期六） 00:30",
  );
  expect(formatBeijingTime("2026-03-07T00:00:00.000Z", "en")).toBe("Saturday 7 March 2026 08:00");
});

test("something that is no day or time is shown as it came", () => {
  expect(formatBeijingDay("soon", "zh-CN")).toBe("soon");
  expect(formatBeijingTime("soon", "zh-CN")).toBe("soon");
});
