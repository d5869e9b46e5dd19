// Proves the demo plan is deterministic and consistent: one seed gives one plan; the township
// has three villages and about 600 households with plausible names; every rule is usable; and
// replaying the events with each village's notice period never takes a household's points or
// a good's stock below zero. The replay is written here again, independently of the generator.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { buildDemoPlan, DAY_MS, DEMO_PASSWORD, type DemoPlan } from "../../src/demo/data/plan.ts";
import { createRandom } from "../../src/demo/data/random.ts";
import { generateHousehold } from "../../src/demo/data/names.ts";
import { GOODS_CATALOGUE } from "../../src/demo/data/goods.ts";
import { RULE_CATALOGUE } from "../../src/demo/data/rules.ts";

const SEED = 20260101;
const START_DAY_MS = Date.UTC(2025, 0, 1) - 8 * 60 * 60 * 1000;
const DAYS = 365;
const GOODS_DIR = join(import.meta.dir, "../../public/goods");
const CHINESE_NAME = /^[\u4e00-\u9fff]{2,3}$/;

const plan = buildDemoPlan(SEED, { startDayMs: START_DAY_MS, days: DAYS });

function householdCount(p: DemoPlan): number {
  return p.villages.reduce((sum, v) => sum + v.households.length, 0);
}

/** Replays the events: awards count once their notice ends, spending counts at once. */
function replay(p: DemoPlan): {
  lowestBalancePoints: number;
  lowestStock: number;
  earnedPoints: number;
  spentPoints: number;
} {
  const noticeMs = new Map(p.villages.map((v) => [v.code, v.settings.noticeDays * DAY_MS]));
  const balances = new Map<string, number>();
  const stock = new Map<string, number>();
  for (const v of p.villages) for (const g of v.goods) stock.set(`${v.code}:${g.sku}`, g.stock);
  const pending: { effectiveAtMs: number; key: string; points: number }[] = [];
  let lowestBalancePoints = 0;
  let lowestStock = Number.POSITIVE_INFINITY;
  let earnedPoints = 0;
  let spentPoints = 0;
  const settle = (nowMs: number): void => {
    for (let i = pending.length - 1; i >= 0; i -= 1) {
      const entry = pending[i];
      if (entry !== undefined && entry.effectiveAtMs <= nowMs) {
        balances.set(entry.key, (balances.get(entry.key) ?? 0) + entry.points);
        pending.splice(i, 1);
      }
    }
  };
  for (const event of p.events) {
    settle(event.atMs);
    if (event.kind === "intake") {
      for (const item of event.items) {
        const key = `${event.villageCode}:${item.sku}`;
        stock.set(key, (stock.get(key) ?? 0) + item.quantity);
      }
      continue;
    }
    const key = `${event.villageCode}:${event.householdIndex}`;
    if (event.kind === "award") {
      earnedPoints += event.points;
      pending.push({
        effectiveAtMs: event.atMs + (noticeMs.get(event.villageCode) ?? 0),
        key,
        points: event.points,
      });
      continue;
    }
    const spend = event.kind === "redemption" ? event.totalPoints : -event.points;
    if (event.kind === "deduction") earnedPoints -= spend;
    else spentPoints += spend;
    const balance = (balances.get(key) ?? 0) - spend;
    balances.set(key, balance);
    lowestBalancePoints = Math.min(lowestBalancePoints, balance);
    if (event.kind === "redemption") {
      for (const item of event.items) {
        const stockKey = `${event.villageCode}:${item.sku}`;
        const left = (stock.get(stockKey) ?? 0) - item.quantity;
        stock.set(stockKey, left);
        lowestStock = Math.min(lowestStock, left);
      }
    }
  }
  return { lowestBalancePoints, lowestStock, earnedPoints, spentPoints };
}

describe("the demo plan", () => {
  test("the same seed gives an identical plan", () => {
    expect(buildDemoPlan(SEED, { startDayMs: START_DAY_MS, days: DAYS })).toEqual(plan);
  });

  test("a different seed gives different households", () => {
    const other = buildDemoPlan(SEED + 1, { startDayMs: START_DAY_MS, days: 7 });
    expect(other.villages[0]?.households.map((h) => h.headName)).not.toEqual(
      plan.villages[0]?.households.map((h) => h.headName),
    );
  });

  test("the township has three villages with about 600 households", () => {
    expect(plan.villages.map((v) => v.code)).toEqual(["DH", "LW", "SQ"]);
    expect(householdCount(plan)).toBe(600);
  });

  test("householdsPerVillage sets the size of each village", () => {
    const small = buildDemoPlan(1, {
      householdsPerVillage: 12,
      startDayMs: START_DAY_MS,
      days: 30,
    });
    expect(small.villages.map((v) => v.households.length)).toEqual([12, 12, 12]);
  });

  test("every rule has non-zero integer points and a sensible cap", () => {
    const rules = [...RULE_CATALOGUE, ...plan.villages.flatMap((v) => v.rules)];
    for (const rule of rules) {
      expect(Number.isInteger(rule.points)).toBe(true);
      expect(rule.points).not.toBe(0);
      if (rule.monthlyCap !== null) {
        expect(rule.points).toBeGreaterThan(0);
        expect(rule.monthlyCap).toBeGreaterThanOrEqual(rule.points);
      }
    }
    expect(RULE_CATALOGUE.length).toBeGreaterThanOrEqual(25);
    expect(RULE_CATALOGUE.length).toBeLessThanOrEqual(35);
  });

  test("rule codes are unique within each village", () => {
    for (const village of plan.villages) {
      const codes = village.rules.map((r) => r.code);
      expect(new Set(codes).size).toBe(codes.length);
    }
  });

  test("every event names a rule, household and good of its own village", () => {
    const villages = new Map(plan.villages.map((v) => [v.code, v]));
    for (const event of plan.events) {
      const village = villages.get(event.villageCode);
      expect(village).toBeDefined();
      if (village === undefined) continue;
      if (event.kind === "award" || event.kind === "deduction") {
        const rule = village.rules.find((r) => r.code === event.ruleCode);
        expect(rule?.points).toBe(event.points);
        expect(event.kind === "award").toBe(event.points > 0);
      }
      if (event.kind !== "intake") expect(village.households[event.householdIndex]).toBeDefined();
      if (event.kind === "redemption" || event.kind === "intake") {
        for (const item of event.items)
          expect(village.goods.some((g) => g.sku === item.sku)).toBe(true);
      }
      if (event.kind === "redemption") {
        expect(event.totalPoints).toBe(
          event.items.reduce((sum, i) => sum + i.quantity * i.pricePoints, 0),
        );
      }
    }
  });

  test("events are in time order and inside the simulated days", () => {
    const endMs = START_DAY_MS + DAYS * DAY_MS;
    plan.events.forEach((event, i) => {
      expect(event.atMs).toBeGreaterThanOrEqual(event.dayMs);
      expect(event.atMs).toBeLessThan(event.dayMs + DAY_MS);
      expect(event.dayMs).toBeGreaterThanOrEqual(START_DAY_MS);
      expect(event.dayMs).toBeLessThan(endMs);
      const previous = plan.events[i - 1];
      if (previous !== undefined) expect(event.atMs).toBeGreaterThanOrEqual(previous.atMs);
    });
  });

  test("monthly caps are never exceeded", () => {
    const used = new Map<string, number>();
    for (const event of plan.events) {
      if (event.kind !== "award") continue;
      const rule = plan.villages
        .find((v) => v.code === event.villageCode)
        ?.rules.find((r) => r.code === event.ruleCode);
      if (rule?.monthlyCap == null) continue;
      const month = new Date(event.dayMs + 8 * 60 * 60 * 1000).toISOString().slice(0, 7);
      const key = `${event.villageCode}:${event.householdIndex}:${event.ruleCode}:${month}`;
      const total = (used.get(key) ?? 0) + event.points;
      used.set(key, total);
      expect(total).toBeLessThanOrEqual(rule.monthlyCap);
    }
  });

  test("replaying the events never takes a balance or a stock below zero", () => {
    const result = replay(plan);
    expect(result.lowestBalancePoints).toBeGreaterThanOrEqual(0);
    expect(result.lowestStock).toBeGreaterThanOrEqual(0);
  });

  test("households spend roughly 60 to 80 per cent of what they earn", () => {
    const { earnedPoints, spentPoints } = replay(plan);
    expect(spentPoints / earnedPoints).toBeGreaterThan(0.55);
    expect(spentPoints / earnedPoints).toBeLessThan(0.8);
  });

  test("most households earn a few awards a month", () => {
    const awards = plan.events.filter((e) => e.kind === "award").length;
    const perHouseholdMonth = awards / householdCount(plan) / (DAYS / 30);
    expect(perHouseholdMonth).toBeGreaterThan(1);
    expect(perHouseholdMonth).toBeLessThan(6);
  });

  test("no balance or stock goes below zero for any seed, household count or period", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 365 }),
        (seed, households, days, offsetDays) => {
          const p = buildDemoPlan(seed, {
            householdsPerVillage: households,
            startDayMs: START_DAY_MS + offsetDays * DAY_MS,
            days,
          });
          const result = replay(p);
          return result.lowestBalancePoints >= 0 && result.lowestStock >= 0;
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("the demo people", () => {
  test("every person's name is two or three Chinese characters", () => {
    for (const village of plan.villages) {
      for (const household of village.households) {
        for (const member of household.members) expect(member.name).toMatch(CHINESE_NAME);
      }
    }
    for (const staff of plan.staff) expect(staff.displayName).toMatch(CHINESE_NAME);
  });

  test("a household has one head, listed first, and one to six members", () => {
    for (const household of plan.villages.flatMap((v) => v.households)) {
      expect(household.members.length).toBeGreaterThanOrEqual(1);
      expect(household.members.length).toBeLessThanOrEqual(6);
      expect(household.members[0]?.relation).toBe("head");
      expect(household.members.filter((m) => m.relation === "head").length).toBe(1);
      expect(household.headName).toBe(household.members[0]?.name ?? "");
    }
  });

  test("children and grandchildren share the head's surname and are younger than the head", () => {
    const rng = createRandom(7);
    for (let i = 0; i < 2000; i += 1) {
      const { head, members } = generateHousehold(rng, { referenceYear: 2025 });
      for (const m of members) {
        if (["son", "daughter", "grandson", "granddaughter", "father"].includes(m.relation))
          expect(m.surname).toBe(head.surname);
        if (["son", "daughter", "grandson", "granddaughter"].includes(m.relation))
          expect(m.birthYear).toBeGreaterThan(head.birthYear + 15);
        if (["father", "mother"].includes(m.relation))
          expect(m.birthYear).toBeLessThan(head.birthYear - 15);
        expect(m.birthYear).toBeLessThanOrEqual(2025);
      }
    }
  });

  test("one- and two-person households are common, as in real villages", () => {
    const households = plan.villages.flatMap((v) => v.households);
    const small = households.filter((h) => h.members.length <= 2).length;
    expect(small / households.length).toBeGreaterThan(0.3);
    expect(small / households.length).toBeLessThan(0.65);
  });

  test("addresses are unique within a village and written as village, group and number", () => {
    for (const village of plan.villages) {
      const texts = village.households.map((h) => h.address.text);
      expect(new Set(texts).size).toBe(texts.length);
      for (const text of texts) expect(text).toMatch(new RegExp(`^${village.name}\\d+组\\d+号$`));
    }
  });

  test("staff have pinyin usernames and the documented demo password", () => {
    expect(plan.staff.map((s) => s.username)).toEqual([
      "qs_admin",
      "dh_admin",
      "dh_clerk",
      "lw_admin",
      "lw_clerk",
      "sq_admin",
      "sq_clerk",
    ]);
    for (const staff of plan.staff) expect(staff.password).toBe(DEMO_PASSWORD);
    expect(plan.kiosks.map((k) => k.villageCode)).toEqual(["DH", "LW", "SQ"]);
  });
});

describe("the demo goods", () => {
  test("every good's image file exists in public/goods", () => {
    for (const good of GOODS_CATALOGUE) expect(existsSync(join(GOODS_DIR, good.image))).toBe(true);
  });

  test("goods have unique skus, positive whole prices and stock", () => {
    expect(new Set(GOODS_CATALOGUE.map((g) => g.sku)).size).toBe(GOODS_CATALOGUE.length);
    for (const good of plan.villages.flatMap((v) => v.goods)) {
      expect(Number.isInteger(good.pricePoints) && good.pricePoints > 0).toBe(true);
      expect(Number.isInteger(good.stock) && good.stock > 0).toBe(true);
    }
  });

  test("every picture is a self-contained 256 by 256 SVG", async () => {
    for (const good of GOODS_CATALOGUE) {
      const svg = await Bun.file(join(GOODS_DIR, good.image)).text();
      expect(svg).toContain('viewBox="0 0 256 256"');
      expect(svg).not.toMatch(/href=["'](?!#)|url\((?!#)|<script|<image/);
    }
  });
});

describe("the random generator", () => {
  test("the same seed gives the same sequence", () => {
    const a = createRandom(99);
    const b = createRandom(99);
    expect(Array.from({ length: 50 }, () => a.next())).toEqual(
      Array.from({ length: 50 }, () => b.next()),
    );
  });

  test("int stays within its bounds and pick, weighted and shuffle use every input", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        (seed, min, span) => {
          const rng = createRandom(seed);
          const value = rng.int(min, min + span);
          const items = [1, 2, 3, 4, 5];
          return (
            value >= min &&
            value <= min + span &&
            items.includes(rng.pick(items)) &&
            rng.weighted([
              ["a", 0],
              ["b", 1],
            ]) === "b" &&
            [...rng.shuffle(items)].sort().join() === items.join()
          );
        },
      ),
    );
  });

  test("a fork depends only on the seed and its label", () => {
    const a = createRandom(5);
    const b = createRandom(5);
    b.next();
    expect(a.fork("x").next()).toBe(b.fork("x").next());
    expect(a.fork("x").next()).not.toBe(a.fork("y").next());
  });
});
