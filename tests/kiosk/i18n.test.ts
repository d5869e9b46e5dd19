// Proves the message catalogs agree: every language has every key, no message is empty, each
// translation uses exactly the placeholders of the Chinese source, and Uyghur is in Arabic script.
import { test, expect } from "bun:test";
import { CATALOGS, nextLang, parts, translate } from "../../kiosk/i18n/index.ts";
import { zhCN, type MessageKey } from "../../kiosk/i18n/zh-CN.ts";

const keys = Object.keys(zhCN) as MessageKey[];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test.each(["en", "ug"] as const)(
  "the %s catalog has the same keys and placeholders as Chinese",
  (l) => {
    const catalog = CATALOGS[l];
    expect(Object.keys(catalog).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(catalog[key].trim()).not.toBe("");
      expect({ key, p: placeholders(catalog[key]) }).toEqual({ key, p: placeholders(zhCN[key]) });
    }
  },
);

test("every Uyghur message that has words has Arabic-script words", () => {
  for (const key of keys) {
    const text = CATALOGS.ug[key].replace(/\{\w+\}/g, "");
    if (!/\p{L}/u.test(text.replace(/QR/g, ""))) continue;
    expect({ key, arabic: /[\u0600-\u06ff]/.test(text) }).toEqual({ key, arabic: true });
  }
});

test("fills placeholders and splits a message around them", () => {
  expect(translate(CATALOGS["zh-CN"], "goods.stock", { count: 3 })).toBe("还剩 3 件");
  expect(parts("goods.stock", "zh-CN")).toEqual(["还剩 ", { name: "count" }, " 件"]);
  expect(parts("goods.stock", "ug")).toEqual([{ name: "count" }, " دانە قالدى"]);
});

test("the language button cycles Chinese, Uyghur, English and back", () => {
  expect(nextLang("zh-CN")).toBe("ug");
  expect(nextLang("ug")).toBe("en");
  expect(nextLang("en")).toBe("zh-CN");
});
