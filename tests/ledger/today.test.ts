/**
 * Proves GET /api/villages/:villageId/today over real HTTP: the review queue counted from the
 * caller's side (what they may approve, what waits on others, claims, objections, notices ending
 * within three days, judged by the clock), the goods at or below their low-stock threshold, and
 * the month as the village report counts it (redeemed net of voids, entries of other months left
 * out, households active and in all). Also GET /api/villages/:villageId/objections: open or all,
 * by household, newest first, in pages.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { createHarness, seedMarket, type MarketWorld } from "../support/market-fixture.ts";
import { DAY_MS, HOUR_MS } from "../../src/shared/clock.ts";

let h: Harness;
let w: MarketWorld;
type Objection = {
  id: string;
  entryId: string;
  reason: string;
  createdAt: string;
  entry: { id: string; status: string; householdId: string; householdName: string };
};
let rule = "";
let minus = "";
let second = "";
const card: Record<string, string> = {};
const objected: string[] = [];

const today = async (cookie: string, village = w.A) =>
  h.json("GET", `/api/villages/${village}/today`, { cookie });
const settings = async (body: object) =>
  expect((await h.json("PATCH", `/api/villages/${w.A}`, { cookie: w.admin, body })).status).toBe(
    200,
  );
const record = async (body: object, cookie = w.aClerk) => {
  const res = await h.json("POST", "/api/entries", {
    cookie,
    body: { householdId: w.household.id, ruleId: rule, ...body },
  });
  if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.entry as { id: string; status: string };
};
const sell = (goodsId: string, key: string) =>
  h.json("POST", "/api/redemptions", {
    token: w.kioskA,
    headers: { "idempotency-key": key },
    body: { cardToken: w.card.token, items: [{ goodsId, quantity: 1 }] },
  });
const object = async (entryId: string, token: string, reason: string) =>
  expect(
    (await h.json("POST", `/api/public/cards/${token}/objections`, { body: { entryId, reason } }))
      .status,
  ).toBe(201);

beforeAll(async () => {
  h = createHarness();
  w = await seedMarket(h);
  rule = (
    await h.json("POST", `/api/villages/${w.A}/rules`, {
      cookie: w.aAdmin,
      body: { code: "ENV-1", title: "庭院整洁", category: "environment", points: 5 },
    })
  ).body.rule.id;
  minus = (
    await h.json("POST", `/api/villages/${w.A}/rules`, {
      cookie: w.aAdmin,
      body: { code: "ENV-9", title: "乱倒垃圾", category: "environment", points: -3 },
    })
  ).body.rule.id;
  second = (
    await h.json("POST", `/api/villages/${w.A}/households`, {
      cookie: w.aAdmin,
      body: { headName: "李秀英" },
    })
  ).body.household.id;
  card["second"] = (
    await h.json("POST", `/api/households/${second}/cards`, { cookie: w.aAdmin })
  ).body.token;
  // Posted this month: the fixture's 100-point award, 5 + 5 awarded, 3 deducted, a sale of 30
  // and a sale of 5 that is voided; one award dated last month.
  await record({});
  await record({ householdId: second });
  await record({ ruleId: minus });
  await record({ occurredOn: "2026-02-27" });
  expect((await sell(w.rice.id, "sale-1")).status).toBe(201);
  const voided = await sell(w.soap.id, "sale-2");
  expect(
    (
      await h.json("POST", `/api/redemptions/${voided.body.id}/void`, {
        cookie: w.aClerk,
        body: { reason: "拿错了" },
      })
    ).status,
  ).toBe(201);
  // Waiting: two proposed by the clerk, one by the admin, a claim by the clerk.
  await settings({ requireApproval: true });
  await record({});
  await record({});
  await record({}, w.aAdmin);
  await record({ claim: true });
  // On notice: one ending in 2 days, one in 5, one objected to twice (by two households' cards) and one objected to
  // once and then settled.
  await settings({ requireApproval: false, noticeDays: 2 });
  await record({});
  const disputed = await record({ householdId: second });
  await settings({ noticeDays: 5 });
  await record({});
  const settled = await record({ householdId: second });
  await object(disputed.id, card["second"]!, "没有参加");
  h.clock.advance(HOUR_MS);
  await object(settled.id, card["second"]!, "不是我家");
  h.clock.advance(HOUR_MS);
  // A card objects to an entry once (409 already-objected): the second objection is another household's.
  await object(disputed.id, w.card.token, "再次申诉");
  objected.push(disputed.id, settled.id);
  w.aAdmin = await h.login("a_admin");
  w.aClerk = await h.login("a_clerk");
  expect(
    (
      await h.json("POST", `/api/entries/${settled.id}/resolve`, {
        cookie: w.aAdmin,
        body: { decision: "uphold", reason: "核实属实" },
      })
    ).status,
  ).toBe(200);
  await settings({ noticeDays: 0 });
});
afterAll(() => h.close());

test("the queue is counted from the caller's side: nobody approves what they recorded", async () => {
  const clerk = (await today(w.aClerk)).body;
  expect(clerk).toMatchObject({
    toApprove: 1,
    ownProposed: 3,
    claims: 1,
    objections: 1,
    noticesEndingSoon: 1,
  });
  const admin = (await today(w.aAdmin)).body;
  expect(admin).toMatchObject({
    toApprove: 3,
    ownProposed: 1,
    claims: 1,
    objections: 1,
    noticesEndingSoon: 1,
  });
  const township = (await today(w.admin)).body;
  expect(township).toMatchObject({ toApprove: 4, ownProposed: 0 });
});

test("the month is counted as the village report counts it: redeemed net of voids, other months left out", async () => {
  const { month } = (await today(w.aClerk)).body;
  const report = (await h.json("GET", `/api/villages/${w.A}/report`, { cookie: w.aAdmin })).body;
  expect(month).toEqual({
    month: "2026-03",
    awarded: 110,
    deducted: 3,
    redeemed: 30,
    activeHouseholds: 2,
    households: 2,
  });
  expect(month).toMatchObject({
    awarded: report.totals.awarded,
    deducted: report.totals.deducted,
    redeemed: report.totals.redeemed,
    activeHouseholds: report.householdsActive,
  });
});

test("low stock lists active goods at or below their threshold, the emptiest first", async () => {
  // The rice is at 9 after one sale, above the default of 5; the soap is back at 3.
  expect((await today(w.aClerk)).body.lowStock).toEqual([
    { id: w.soap.id, name: "肥皂", stock: 3, lowStockThreshold: 5 },
  ]);
  expect(
    (
      await h.json("PATCH", `/api/goods/${w.rice.id}`, {
        cookie: w.aClerk,
        body: { lowStockThreshold: 9 },
      })
    ).status,
  ).toBe(200);
  const empty = (
    await h.json("POST", `/api/villages/${w.A}/goods`, {
      cookie: w.aClerk,
      body: { name: "酱油", pricePoints: 8, stock: 0, lowStockThreshold: 0 },
    })
  ).body.goods;
  const retired = (
    await h.json("POST", `/api/villages/${w.A}/goods`, {
      cookie: w.aClerk,
      body: { name: "旧货", pricePoints: 8 },
    })
  ).body.goods;
  expect(
    (
      await h.json("PATCH", `/api/goods/${retired.id}`, {
        cookie: w.aClerk,
        body: { active: false },
      })
    ).status,
  ).toBe(200);
  const low = (await today(w.aClerk)).body.lowStock.map((g: { name: string; stock: number }) => [
    g.name,
    g.stock,
  ]);
  expect(low).toEqual([
    ["酱油", 0],
    ["肥皂", 3],
    ["大米 5kg", 9],
  ]);
  expect(empty.lowStockThreshold).toBe(0);
});

test("an entry whose notice ended is counted as posted, by the clock, before the timer runs", async () => {
  h.clock.advance(2 * DAY_MS);
  w.aClerk = await h.login("a_clerk");
  const body = (await today(w.aClerk)).body;
  expect(body.noticesEndingSoon).toBe(2);
  expect(body.month.awarded).toBe(115);
});

test("staff of another village get 404, a kiosk 403, no session 401", async () => {
  // The clock has moved past the sessions' idle timeout.
  w.bAdmin = await h.login("b_admin");
  w.bClerk = await h.login("b_clerk");
  expect((await today(w.bAdmin)).status).toBe(404);
  expect((await today(w.bClerk)).status).toBe(404);
  expect((await h.json("GET", `/api/villages/${w.A}/today`, { token: w.kioskA })).status).toBe(403);
  expect((await h.json("GET", `/api/villages/${w.A}/today`)).status).toBe(401);
});

test("open objections are those whose entry is still disputed; all lists every one, newest first", async () => {
  const open = await h.json("GET", `/api/villages/${w.A}/objections`, { cookie: w.aClerk });
  expect(open.status).toBe(200);
  expect(open.body.items.map((o: Objection) => [o.entryId, o.reason, o.entry.status])).toEqual([
    [objected[0], "再次申诉", "disputed"],
    [objected[0], "没有参加", "disputed"],
  ]);
  expect(open.body.items[0].entry).toMatchObject({
    id: objected[0],
    householdId: second,
    householdName: "李秀英",
  });
  expect(open.body.nextCursor).toBeNull();
  const all = await h.json("GET", `/api/villages/${w.A}/objections?status=all`, {
    cookie: w.aClerk,
  });
  expect(all.body.items.map((o: Objection) => o.reason)).toEqual([
    "再次申诉",
    "不是我家",
    "没有参加",
  ]);
  const ids = all.body.items.map((o: Objection) => Number(o.id));
  expect([...ids].sort((a, b) => b - a)).toEqual(ids);
});

test("objections page with a cursor and filter by household", async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { items: Objection[]; nextCursor: string | null } } = await h.json(
      "GET",
      `/api/villages/${w.A}/objections?status=all&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
      { cookie: w.aClerk },
    );
    seen.push(...res.body.items.map((o) => o.reason));
    cursor = res.body.nextCursor;
  } while (cursor !== null);
  expect(seen).toEqual(["再次申诉", "不是我家", "没有参加"]);
  expect(
    (
      await h.json(
        "GET",
        `/api/villages/${w.A}/objections?status=all&householdId=${w.household.id}`,
        { cookie: w.aClerk },
      )
    ).body.items,
  ).toEqual([]);
  expect(
    (
      await h.json("GET", `/api/villages/${w.A}/objections?householdId=${second}`, {
        cookie: w.aClerk,
      })
    ).body.items.length,
  ).toBe(2);
});

test.each([
  ["status=closed"],
  ["householdId=abc"],
  ["limit=0"],
  ["limit=201"],
  ["cursor=%%%"],
  ["x=1"],
])("refuses the objections query %s with a 400 naming it", async (query) => {
  const res = await h.json("GET", `/api/villages/${w.A}/objections?${query}`, { cookie: w.aClerk });
  expect(res.status).toBe(400);
  expect(res.body.errors[0].path).toStartWith("query");
});

test("another village's objections answer 404", async () => {
  w.bClerk = await h.login("b_clerk");
  expect(
    (await h.json("GET", `/api/villages/${w.A}/objections`, { cookie: w.bClerk })).status,
  ).toBe(404);
  expect(
    (await h.json("GET", `/api/villages/${w.B}/objections`, { cookie: w.bClerk })).body.items,
  ).toEqual([]);
});
