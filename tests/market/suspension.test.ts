/**
 * Suspension of redemptions (一票否决, issue 18) over real HTTP on a real database: a rule marked
 * suspendMonths makes a posted deduction under it refuse the household's sales (409
 * household-suspended, with the day it ends and the rule) and write nothing; the kiosk's card read
 * says so; a reversal of the deduction ends it at once; it ends by itself on the right Beijing day;
 * a later change of the rule does not move a suspension already earned; bad rule input is a 400.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { T0_MS } from "../support/harness.ts";
import { shanghaiDayStartMs } from "../../src/shared/calendar.ts";
import { addMonths, suspensionOf } from "../../src/ledger/suspension.ts";
import { balanceOf, freshMarket, rowCounts, type MarketWorld } from "../support/market-fixture.ts";

let h: Harness;
let w: MarketWorld;
beforeEach(async () => {
  ({ h, w } = await freshMarket());
});
afterEach(() => h.close());

let keyCounter = 0;
function sell(o: { token?: string; cookie?: string } = {}) {
  const auth = o.cookie !== undefined ? { cookie: o.cookie } : { token: o.token ?? w.kioskA };
  return h.json("POST", "/api/redemptions", {
    ...auth,
    headers: { "idempotency-key": `susp-${++keyCounter}` },
    body: { cardToken: w.card.token, items: [{ goodsId: w.soap.id, quantity: 1 }] },
  });
}

async function suspendingRule(months: number, code = "GAMBLE") {
  const res = await h.json("POST", `/api/villages/${w.A}/rules`, {
    cookie: w.aAdmin,
    body: { code, title: "参与赌博", category: "law", points: -10, suspendMonths: months },
  });
  expect(res.status).toBe(201);
  expect(res.body.rule.suspendMonths).toBe(months);
  return res.body.rule as { id: string; title: string };
}

async function deduct(ruleId: string, occurredOn?: string) {
  const res = await h.json("POST", "/api/entries", {
    cookie: w.aClerk,
    body: {
      householdId: w.household.id,
      ruleId,
      ...(occurredOn === undefined ? {} : { occurredOn }),
    },
  });
  expect(res.status).toBe(201);
  expect(res.body.entry.status).toBe("posted");
  return res.body.entry as { id: string };
}

describe("a suspending deduction", () => {
  test("refuses the household's sale with the day it ends and the rule, and writes nothing", async () => {
    const rule = await suspendingRule(3);
    const entry = await deduct(rule.id);
    const before = rowCounts(h.db);
    const balance = balanceOf(h.db, w.household.id);
    const res = await sell();
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: "/problems/conflict",
      code: "household-suspended",
      params: { until: "2026-06-02", rule: "参与赌博", entryId: entry.id, from: "2026-03-02" },
    });
    expect(rowCounts(h.db)).toEqual(before);
    expect(balanceOf(h.db, w.household.id)).toBe(balance);
    // Staff at the counter are refused too: the suspension is the village's decision, not the kiosk's.
    expect((await sell({ cookie: w.aClerk })).body.code).toBe("household-suspended");
  });

  test("is answered by the kiosk's card read before goods are chosen", async () => {
    const rule = await suspendingRule(2);
    expect(
      (await h.json("GET", `/api/kiosk/cards/${w.card.token}`, { token: w.kioskA })).body,
    ).toMatchObject({ suspendedUntil: null, suspendedRule: null });
    await deduct(rule.id);
    expect(
      (await h.json("GET", `/api/kiosk/cards/${w.card.token}`, { token: w.kioskA })).body,
    ).toMatchObject({ suspendedUntil: "2026-05-02", suspendedRule: "参与赌博" });
  });

  test("is shown to staff with the rule, the entry and the end date, and to no other village", async () => {
    const rule = await suspendingRule(3);
    expect(
      (await h.json("GET", `/api/households/${w.household.id}/suspension`, { cookie: w.aClerk }))
        .body,
    ).toEqual({ suspension: null });
    const entry = await deduct(rule.id);
    expect(
      (await h.json("GET", `/api/households/${w.household.id}/suspension`, { cookie: w.aClerk }))
        .body,
    ).toEqual({
      suspension: {
        until: "2026-06-02",
        from: "2026-03-02",
        months: 3,
        ruleTitle: "参与赌博",
        entryId: entry.id,
      },
    });
    expect(
      (await h.json("GET", `/api/households/${w.household.id}/suspension`, { cookie: w.bAdmin }))
        .status,
    ).toBe(404);
  });

  test("ends at once when the deduction is reversed", async () => {
    const rule = await suspendingRule(6);
    const entry = await deduct(rule.id);
    expect((await sell()).status).toBe(409);
    const reversed = await h.json("POST", `/api/entries/${entry.id}/reverse`, {
      cookie: w.aAdmin,
      body: { reason: "记错了户" },
    });
    expect(reversed.status).toBe(201);
    expect((await sell()).status).toBe(201);
    expect(
      (await h.json("GET", `/api/kiosk/cards/${w.card.token}`, { token: w.kioskA })).body
        .suspendedUntil,
    ).toBeNull();
  });

  test("ends by itself on its Beijing day, not at UTC midnight", async () => {
    const rule = await suspendingRule(1);
    await deduct(rule.id); // 2026-03-02: ends 2026-04-02 (Beijing)
    // 2026-04-01 23:59 Beijing is 15:59 UTC on 1 April: still suspended.
    h.clock.set(shanghaiDayStartMs("2026-04-02") - 60_000);
    expect((await sell()).body).toMatchObject({
      code: "household-suspended",
      params: { until: "2026-04-02" },
    });
    // 2026-04-02 00:00 Beijing is still 1 April in UTC: the household may redeem again.
    h.clock.set(shanghaiDayStartMs("2026-04-02"));
    expect(new Date(h.clock.nowMs()).toISOString().slice(0, 10)).toBe("2026-04-01");
    expect((await sell()).status).toBe(201);
  });

  test("counts from the deduction's day, and the one ending last wins", async () => {
    const short = await suspendingRule(1, "S1");
    const long = await suspendingRule(3, "S3");
    await deduct(long.id, "2026-01-10"); // ends 2026-04-10
    await deduct(short.id, "2026-03-01"); // ends 2026-04-01
    expect((await sell()).body.params).toMatchObject({ until: "2026-04-10", from: "2026-01-10" });
  });

  test("keeps its months when the rule changes later", async () => {
    const rule = await suspendingRule(3);
    await deduct(rule.id);
    expect(
      (
        await h.json("PATCH", `/api/rules/${rule.id}`, {
          cookie: w.aAdmin,
          body: { suspendMonths: null },
        })
      ).status,
    ).toBe(200);
    expect((await sell()).body.params.until).toBe("2026-06-02");
  });

  test("a rule without suspendMonths never suspends", async () => {
    const plain = await h.json("POST", `/api/villages/${w.A}/rules`, {
      cookie: w.aAdmin,
      body: { code: "LITTER", title: "乱扔垃圾", category: "environment", points: -2 },
    });
    expect(plain.body.rule.suspendMonths).toBeNull();
    await deduct(plain.body.rule.id);
    expect((await sell()).status).toBe(201);
  });
});

describe("the rule's suspendMonths", () => {
  test.each([
    [{ points: -5, suspendMonths: 0 }, "body.suspendMonths"],
    [{ points: -5, suspendMonths: 25 }, "body.suspendMonths"],
    [{ points: -5, suspendMonths: 1.5 }, "body.suspendMonths"],
    [{ points: -5, suspendMonths: "3" }, "body.suspendMonths"],
  ])("refuses %j with a 400 on the field", async (extra, path) => {
    const res = await h.json("POST", `/api/villages/${w.A}/rules`, {
      cookie: w.aAdmin,
      body: { code: "X", title: "x", category: "law", ...extra },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe(path);
  });

  test("only a deduction suspends: an award rule with suspendMonths is a 400", async () => {
    const res = await h.json("POST", `/api/villages/${w.A}/rules`, {
      cookie: w.aAdmin,
      body: { code: "GOOD", title: "好人好事", category: "civility", points: 5, suspendMonths: 3 },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: "suspend-needs-deduction",
      errors: [{ path: "body.suspendMonths" }],
    });
    const rule = await suspendingRule(3);
    const flip = await h.json("PATCH", `/api/rules/${rule.id}`, {
      cookie: w.aAdmin,
      body: { points: 10 },
    });
    expect(flip.status).toBe(400);
    expect(flip.body.code).toBe("suspend-needs-deduction");
  });
});

describe("the reckoning", () => {
  test.each([
    ["2026-01-31", 1, "2026-02-28"],
    ["2024-01-31", 1, "2024-02-29"],
    ["2026-11-15", 3, "2027-02-15"],
    ["2026-03-02", 24, "2028-03-02"],
  ])("%s plus %i months is %s", (day, months, expected) => {
    expect(addMonths(day, months)).toBe(expected);
  });

  test("reads the household's suspension from the ledger alone", async () => {
    const rule = await suspendingRule(3);
    const entry = await deduct(rule.id);
    expect(suspensionOf(h.db, Number(w.household.id), "2026-03-02")).toEqual({
      until: "2026-06-02",
      fromDay: "2026-03-02",
      entryId: Number(entry.id),
      ruleTitle: "参与赌博",
      months: 3,
    });
    expect(suspensionOf(h.db, Number(w.household.id), "2026-06-02")).toBeNull();
    expect(T0_MS).toBe(shanghaiDayStartMs("2026-03-02") + 10 * 3600_000);
  });
});
