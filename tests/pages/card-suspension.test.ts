/**
 * A household whose redemptions are suspended (一票否决) learns it from its own card page, not
 * only at the supermarket: why, from which day it may exchange again, and that the points stay.
 * The card's JSON carries the same; a reversal of the deduction, or the end day, clears it.
 * Over real HTTP on a real database.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { freshMarket, type MarketWorld } from "../support/market-fixture.ts";
import { shanghaiDayStartMs } from "../../src/shared/calendar.ts";

let h: Harness;
let w: MarketWorld;
beforeEach(async () => {
  ({ h, w } = await freshMarket());
});
afterEach(() => h.close());

async function suspend(months: number, code = "GAMBLE"): Promise<string> {
  const rule = await h.json("POST", `/api/villages/${w.A}/rules`, {
    cookie: w.aAdmin,
    body: {
      code,
      title: "参与赌博",
      category: "law",
      points: -10,
      suspendMonths: months,
    },
  });
  expect(rule.status).toBe(201);
  const entry = await h.json("POST", "/api/entries", {
    cookie: w.aClerk,
    body: { householdId: w.household.id, ruleId: rule.body.rule.id },
  });
  expect(entry.body.entry.status).toBe("posted");
  return entry.body.entry.id;
}

async function page(headers: Record<string, string> = {}): Promise<string> {
  const res = await h.request("GET", `/c/${w.card.token}`, { headers });
  expect(res.status).toBe(200);
  return res.text();
}

test("a suspended household's card page says why, until when, and that the points stay", async () => {
  expect((await h.json("GET", `/api/public/cards/${w.card.token}`)).body.suspension).toBeNull();
  expect(await page()).not.toContain("暂时不能兑换");

  await suspend(3); // on 2026-03-02: may exchange again from 2026-06-02
  expect((await h.json("GET", `/api/public/cards/${w.card.token}`)).body.suspension).toEqual({
    until: "2026-06-02",
    ruleTitle: "参与赌博",
  });
  const zh = await page();
  expect(zh).toContain('<div class="suspended" role="note"><strong>暂时不能兑换</strong>');
  expect(zh).toContain('因为“<bdi class="v">参与赌博</bdi>”，村里暂停了您家在积分超市的兑换。');
  expect(zh).toContain('<bdi class="v">2026-06-02</bdi>起可以再去兑换。积分不会少，都还在卡上。');

  // In Uyghur, from the same catalog, the day written the Uyghur way.
  const ug = await page({ "accept-language": "ug-CN,ug;q=0.9" });
  expect(ug).toContain("ۋاقتىنچە ئالماشتۇرغىلى بولمايدۇ");
  expect(ug).toContain("2026-يىلى 6-ئاينىڭ 2-كۈنى");
});

test("the note goes when the deduction is reversed, and by itself on its end day", async () => {
  const entryId = await suspend(1);
  expect(await page()).toContain("暂时不能兑换");
  const reversed = await h.json("POST", `/api/entries/${entryId}/reverse`, {
    cookie: w.aAdmin,
    body: { reason: "查无实据" },
  });
  expect(reversed.status).toBe(201);
  expect(await page()).not.toContain("暂时不能兑换");
  expect((await h.json("GET", `/api/public/cards/${w.card.token}`)).body.suspension).toBeNull();

  await suspend(1, "GAMBLE2"); // 2026-03-02 + 1 month: again from 2026-04-02 (Beijing)
  h.clock.set(shanghaiDayStartMs("2026-04-02") - 1);
  expect(await page()).toContain("暂时不能兑换");
  h.clock.set(shanghaiDayStartMs("2026-04-02"));
  expect(await page()).not.toContain("暂时不能兑换");
});
