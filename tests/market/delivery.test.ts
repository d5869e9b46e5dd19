/**
 * Home delivery (送奖上门, issue 18) over real HTTP: staff record a sale for a household they chose
 * (no card read) marked as a delivery; it waits in the village's list until staff confirm who
 * delivered it and when, once (a second confirmation is 409 and changes nothing), audited; the
 * receipt says 送货上门. A kiosk may not sell without a card nor record a delivery; bad input,
 * other villages and voided sales are refused.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { T0_MS } from "../support/harness.ts";
import { HOUR_MS } from "../../src/shared/clock.ts";
import {
  balanceOf,
  freshMarket,
  rowCounts,
  stockOf,
  type MarketWorld,
} from "../support/market-fixture.ts";

let h: Harness;
let w: MarketWorld;
beforeEach(async () => {
  ({ h, w } = await freshMarket());
});
afterEach(() => h.close());

let keyCounter = 0;
function sale(
  body: Record<string, unknown>,
  auth: { cookie?: string; token?: string } = { cookie: w.aClerk },
) {
  return h.json("POST", "/api/redemptions", {
    ...auth,
    headers: { "idempotency-key": `delivery-${++keyCounter}` },
    body: { items: [{ goodsId: w.rice.id, quantity: 1 }], ...body },
  });
}

function confirm(id: string, body: unknown, cookie = w.aClerk) {
  return h.json("POST", `/api/redemptions/${id}/delivery`, { cookie, body });
}

const DELIVERED_AT = new Date(T0_MS + 2 * HOUR_MS).toISOString();

describe("a delivery sale", () => {
  test("is recorded by staff for a chosen household, without a card, and waits", async () => {
    const res = await sale({ householdId: w.household.id, delivery: true });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      totalPoints: 30,
      balanceAfter: 70,
      householdName: "张*华",
      delivery: { deliveredBy: null, deliveredAt: null },
    });
    expect(balanceOf(h.db, w.household.id)).toBe(70);
    expect(stockOf(h.db, w.rice.id)).toEqual({ stock: 9, sum: 9 });
    const waiting = (await h.json("GET", `/api/villages/${w.A}/deliveries`, { cookie: w.aAdmin }))
      .body.items;
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      redemptionId: res.body.id,
      householdName: "张建华",
      totalPoints: 30,
      deliveredBy: null,
      confirmedAt: null,
      items: [{ name: "大米 5kg", quantity: 1 }],
    });
    expect(
      (
        await h.json("GET", `/api/villages/${w.A}/deliveries?status=confirmed`, {
          cookie: w.aAdmin,
        })
      ).body.items,
    ).toEqual([]);
    // The sales list marks it, and only it.
    await h.json("POST", "/api/redemptions", {
      token: w.kioskA,
      headers: { "idempotency-key": "plain-sale" },
      body: { cardToken: w.card.token, items: [{ goodsId: w.soap.id, quantity: 1 }] },
    });
    const sales = (await h.json("GET", `/api/villages/${w.A}/redemptions`, { cookie: w.aAdmin }))
      .body.items;
    expect(
      sales.map((s: { id: string; delivery?: unknown }) => [
        s.id === res.body.id,
        s.delivery ?? null,
      ]),
    ).toEqual([
      [false, null],
      [true, { deliveredBy: null, deliveredAt: null }],
    ]);
  });

  test("is confirmed once with who delivered it and when, audited, and the receipt says so", async () => {
    const id = (await sale({ householdId: w.household.id, delivery: true })).body.id as string;
    h.clock.set(T0_MS + 3 * HOUR_MS);
    const res = await confirm(id, { deliveredBy: "王五", deliveredAt: DELIVERED_AT });
    expect(res.status).toBe(201);
    expect(res.body.delivery).toMatchObject({
      redemptionId: id,
      deliveredBy: "王五",
      deliveredAt: DELIVERED_AT,
      confirmedAt: new Date(T0_MS + 3 * HOUR_MS).toISOString(),
    });
    expect(res.body.delivery.confirmedBy).toBeString();

    const before = rowCounts(h.db);
    const again = await confirm(id, { deliveredBy: "李六", deliveredAt: DELIVERED_AT });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: "delivery-confirmed",
      params: { deliveredBy: "王五" },
    });
    expect(rowCounts(h.db)).toEqual(before);

    expect(
      (await h.json("GET", `/api/villages/${w.A}/deliveries`, { cookie: w.aAdmin })).body.items,
    ).toEqual([]);
    expect(
      (
        await h.json("GET", `/api/villages/${w.A}/deliveries?status=confirmed`, {
          cookie: w.aAdmin,
        })
      ).body.items[0],
    ).toMatchObject({ redemptionId: id, deliveredBy: "王五" });
    expect(
      h.db
        .query(
          "SELECT action FROM audit_log WHERE entity = 'redemption' AND entity_id = ? ORDER BY id",
        )
        .all(id),
    ).toEqual([{ action: "redeem" }, { action: "confirm_delivery" }]);
    const receipt = (await h.json("GET", `/api/redemptions/${id}`, { cookie: w.aClerk })).body;
    expect(receipt.delivery).toEqual({ deliveredBy: "王五", deliveredAt: DELIVERED_AT });
    const html = await (
      await h.request("GET", `/api/redemptions/${id}/receipt`, { cookie: w.aClerk })
    ).text();
    expect(html).toContain("送货上门");
    expect(html).toContain("王五");
    // The database holds the rule too.
    expect(() =>
      h.db.run("UPDATE deliveries SET delivered_by = '李六' WHERE redemption_id = ?", [Number(id)]),
    ).toThrow("a confirmed delivery never changes");
  });

  test("a sale at the kiosk is no delivery and its receipt does not say so", async () => {
    const res = await sale({ cardToken: w.card.token }, { token: w.kioskA });
    expect(res.status).toBe(201);
    expect(res.body.delivery).toBeUndefined();
    expect(
      (await confirm(res.body.id, { deliveredBy: "王五", deliveredAt: DELIVERED_AT })).body.code,
    ).toBe("not-a-delivery");
    expect(
      await (
        await h.request("GET", `/api/redemptions/${res.body.id}/receipt`, { cookie: w.aClerk })
      ).text(),
    ).not.toContain("送货上门");
  });

  test("a voided delivery is not confirmed", async () => {
    const id = (await sale({ householdId: w.household.id, delivery: true })).body.id as string;
    expect(
      (
        await h.json("POST", `/api/redemptions/${id}/void`, {
          cookie: w.aAdmin,
          body: { reason: "户主住院" },
        })
      ).status,
    ).toBe(201);
    expect(
      (await confirm(id, { deliveredBy: "王五", deliveredAt: DELIVERED_AT })).body,
    ).toMatchObject({ code: "redemption-voided" });
    expect(
      (await h.json("GET", `/api/villages/${w.A}/deliveries`, { cookie: w.aAdmin })).body.items[0]
        .voided,
    ).toBe(true);
  });
});

describe("refusals", () => {
  test("a kiosk may not sell without a card nor record a delivery", async () => {
    const before = rowCounts(h.db);
    expect((await sale({ householdId: w.household.id }, { token: w.kioskA })).body).toMatchObject({
      status: 403,
      code: "staff-only",
    });
    expect(
      (await sale({ cardToken: w.card.token, delivery: true }, { token: w.kioskA })).body,
    ).toMatchObject({ status: 403, code: "staff-only" });
    expect(rowCounts(h.db)).toEqual(before);
  });

  test.each([
    [{}, "neither card nor household"],
    [{ cardToken: "x".repeat(30), householdId: "1" }, "both"],
    [{ householdId: "abc" }, "a household id that is no id"],
    [{ householdId: "1", delivery: "yes" }, "delivery not a boolean"],
  ])("%j (%s) is a 400", async (body) => {
    const res = await sale(body);
    expect(res.status).toBe(400);
  });

  test("a household of another village is not found", async () => {
    const res = await sale({ householdId: w.householdB.id, delivery: true });
    expect(res.status).toBe(404);
    expect(balanceOf(h.db, w.householdB.id)).toBe(100);
  });

  test("a household that never had a card is asked to get one", async () => {
    const bare = (
      await h.json("POST", `/api/villages/${w.A}/households`, {
        cookie: w.aAdmin,
        body: { headName: "赵六" },
      })
    ).body.household;
    expect((await sale({ householdId: bare.id, delivery: true })).body).toMatchObject({
      status: 409,
      code: "household-has-no-card",
    });
  });

  test.each([
    [{ deliveredBy: "", deliveredAt: DELIVERED_AT }, "body.deliveredBy"],
    [{ deliveredBy: "王五" }, "body.deliveredAt"],
    [{ deliveredBy: "王五", deliveredAt: "yesterday" }, "body.deliveredAt"],
    [{ deliveredBy: "王\u202e五", deliveredAt: DELIVERED_AT }, "body.deliveredBy"],
    [
      { deliveredBy: "王五", deliveredAt: new Date(T0_MS - HOUR_MS).toISOString() },
      "body.deliveredAt",
    ],
    [
      { deliveredBy: "王五", deliveredAt: new Date(T0_MS + 24 * HOUR_MS).toISOString() },
      "body.deliveredAt",
    ],
  ])("confirming with %j is a 400 on %s", async (body, path) => {
    const id = (await sale({ householdId: w.household.id, delivery: true })).body.id as string;
    const res = await confirm(id, body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe(path);
    expect(
      (await h.json("GET", `/api/villages/${w.A}/deliveries`, { cookie: w.aAdmin })).body.items,
    ).toHaveLength(1);
  });

  test("another village's staff do not see or confirm it", async () => {
    const id = (await sale({ householdId: w.household.id, delivery: true })).body.id as string;
    expect(
      (await confirm(id, { deliveredBy: "王五", deliveredAt: DELIVERED_AT }, w.bClerk)).status,
    ).toBe(404);
    expect(
      (await h.json("GET", `/api/villages/${w.A}/deliveries`, { cookie: w.bAdmin })).status,
    ).toBe(404);
  });
});
