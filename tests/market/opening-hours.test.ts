/**
 * The supermarket's opening days and hours (issue 18) over real HTTP: a village without a setting
 * is always open; outside its days or hours a kiosk's sale is 409 market-closed with when it opens
 * next and writes nothing; staff (at the counter, or signed in on the kiosk) may sell then, and
 * the audit log records the sale as opened outside hours; invalid settings are 400 problems; the
 * reckoning of the next opening is checked on its own (Beijing days, days of the month a month
 * lacks, 24:00).
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { T0_MS } from "../support/harness.ts";
import { HOUR_MS } from "../../src/shared/clock.ts";
import { shanghaiDayStartMs } from "../../src/shared/calendar.ts";
import { marketState, type OpeningHours } from "../../src/shared/opening-hours.ts";
import { freshMarket, rowCounts, type MarketWorld } from "../support/market-fixture.ts";

let h: Harness;
let w: MarketWorld;
beforeEach(async () => {
  ({ h, w } = await freshMarket());
});
afterEach(() => h.close());

let keyCounter = 0;
function sell(o: { token?: string; cookie?: string } = {}) {
  const auth: { token?: string; cookie?: string } = {};
  if (o.cookie !== undefined) auth.cookie = o.cookie;
  if (o.token !== undefined || o.cookie === undefined) auth.token = o.token ?? w.kioskA;
  return h.json("POST", "/api/redemptions", {
    ...auth,
    headers: { "idempotency-key": `hours-${++keyCounter}` },
    body: { cardToken: w.card.token, items: [{ goodsId: w.soap.id, quantity: 1 }] },
  });
}

function setHours(openingHours: unknown, cookie = w.aAdmin) {
  return h.json("PATCH", `/api/villages/${w.A}`, { cookie, body: { openingHours } });
}

// T0 is Monday 2 March 2026, 10:00 in Beijing.
const SATURDAY_MORNINGS = { weekdays: [6], opens: "08:00", closes: "12:00" };

describe("a village's opening hours", () => {
  test("are none by default: always open", async () => {
    const village = (await h.json("GET", `/api/villages/${w.A}`, { cookie: w.aAdmin })).body
      .village;
    expect(village.openingHours).toBeNull();
    expect((await h.json("GET", "/api/kiosk/market-hours", { token: w.kioskA })).body).toEqual({
      open: true,
      opensAt: null,
      closesAt: null,
      openingHours: null,
    });
    expect((await sell()).status).toBe(201);
  });

  test("refuse a kiosk's sale outside them with when it opens next, writing nothing", async () => {
    expect((await setHours(SATURDAY_MORNINGS)).body.village.openingHours).toEqual(
      SATURDAY_MORNINGS,
    );
    const before = rowCounts(h.db);
    const res = await sell();
    expect(res.status).toBe(409);
    // Saturday 7 March, 08:00 Beijing = 00:00 UTC.
    expect(res.body).toMatchObject({
      code: "market-closed",
      params: { opensAt: "2026-03-07T00:00:00.000Z" },
    });
    expect(rowCounts(h.db)).toEqual(before);
    expect((await h.json("GET", "/api/kiosk/market-hours", { token: w.kioskA })).body).toEqual({
      open: false,
      opensAt: "2026-03-07T00:00:00.000Z",
      closesAt: null,
      openingHours: SATURDAY_MORNINGS,
    });
  });

  test("let the kiosk sell inside them, and close again at the closing minute", async () => {
    await setHours(SATURDAY_MORNINGS);
    h.clock.set(shanghaiDayStartMs("2026-03-07") + 11 * HOUR_MS + 59 * 60_000);
    expect(
      (await h.json("GET", "/api/kiosk/market-hours", { token: w.kioskA })).body,
    ).toMatchObject({ open: true, closesAt: "2026-03-07T04:00:00.000Z" });
    expect((await sell()).status).toBe(201);
    h.clock.set(shanghaiDayStartMs("2026-03-07") + 12 * HOUR_MS);
    expect((await sell()).body).toMatchObject({
      code: "market-closed",
      params: { opensAt: "2026-03-14T00:00:00.000Z" },
    });
  });

  test("days of the month open on those days only", async () => {
    await setHours({ monthDays: [1, 15], opens: "09:00", closes: "11:30" });
    expect((await sell()).body.params.opensAt).toBe(
      new Date(shanghaiDayStartMs("2026-03-15") + 9 * HOUR_MS).toISOString(),
    );
    await setHours({ monthDays: [2], opens: "09:00", closes: "11:30" });
    expect((await sell()).status).toBe(201);
  });

  test("staff at the counter open it for a sale, recorded in the audit log", async () => {
    await setHours(SATURDAY_MORNINGS);
    const res = await sell({ cookie: w.aClerk });
    expect(res.status).toBe(201);
    const rows = h.db
      .query<{ action: string; entity_id: string; detail: string }, []>(
        "SELECT action, entity_id, detail FROM audit_log WHERE entity = 'redemption' ORDER BY id",
      )
      .all();
    expect(rows.map((r) => r.action)).toEqual(["redeem", "open_outside_hours"]);
    expect(rows[1]!.entity_id).toBe(res.body.id);
    expect(JSON.parse(rows[1]!.detail)).toMatchObject({
      receiptNo: res.body.receiptNo,
      openedBy: expect.stringMatching(/^user:\d+$/),
    });
  });

  test("staff signed in on the kiosk open it for the kiosk's sale; staff of another village do not", async () => {
    await setHours(SATURDAY_MORNINGS);
    expect((await sell({ token: w.kioskA, cookie: w.bClerk })).body.code).toBe("market-closed");
    const res = await sell({ token: w.kioskA, cookie: w.aClerk });
    expect(res.status).toBe(201);
    const row = h.db
      .query<{ actor_kind: string; detail: string }, []>(
        "SELECT actor_kind, detail FROM audit_log WHERE action = 'open_outside_hours'",
      )
      .get()!;
    expect(row.actor_kind).toBe("kiosk");
    expect(JSON.parse(row.detail).openedBy).toMatch(/^user:\d+$/);
  });

  test("are cleared with null: always open again", async () => {
    await setHours(SATURDAY_MORNINGS);
    expect((await setHours(null)).body.village.openingHours).toBeNull();
    expect((await sell()).status).toBe(201);
  });

  test.each([
    [{ weekdays: [6], opens: "12:00", closes: "08:00" }, "closes-before-opens"],
    [{ weekdays: [6], opens: "08:00", closes: "08:00" }, "closes-before-opens"],
    [{ weekdays: [], opens: "08:00", closes: "12:00" }, "no-opening-days"],
    [{ opens: "08:00", closes: "12:00" }, "no-opening-days"],
    [{ weekdays: [6, 6], opens: "08:00", closes: "12:00" }, "opening-day-twice"],
    [{ weekdays: [0], opens: "08:00", closes: "12:00" }, "invalid-field"],
    [{ weekdays: [8], opens: "08:00", closes: "12:00" }, "invalid-field"],
    [{ monthDays: [32], opens: "08:00", closes: "12:00" }, "invalid-field"],
    [{ weekdays: [6], opens: "25:00", closes: "26:00" }, "invalid-field"],
    [{ weekdays: [6], opens: "8:00", closes: "12:00" }, "invalid-field"],
    [{ weekdays: [6], opens: "08:00", closes: "24:30" }, "invalid-field"],
    [{ weekdays: [6], opens: "08:00", closes: "12:00", every: "week" }, "invalid-field"],
    ["saturday", "invalid-field"],
  ])("refuse %j with a 400 problem (%s), changing nothing", async (hours, code) => {
    const res = await setHours(hours);
    expect(res.status).toBe(400);
    expect(res.body.type).toBe("/problems/validation");
    expect(res.body.errors[0].path).toStartWith("body.openingHours");
    if (code !== "invalid-field") expect(res.body.code).toBe(code);
    expect(
      (await h.json("GET", `/api/villages/${w.A}`, { cookie: w.aAdmin })).body.village.openingHours,
    ).toBeNull();
  });

  test("are set by the village's staff of that village only", async () => {
    expect((await setHours(SATURDAY_MORNINGS, w.aClerk)).status).toBe(403);
    expect((await setHours(SATURDAY_MORNINGS, w.bAdmin)).status).toBe(404);
  });
});

describe("the next opening", () => {
  const at = (day: string, hour: number) => shanghaiDayStartMs(day) + hour * HOUR_MS;
  test("always open without a setting", () => {
    expect(marketState(null, T0_MS)).toEqual({ open: true, opensAtMs: null, closesAtMs: null });
  });
  test("a 31st is skipped in the months without one", () => {
    const hours: OpeningHours = { monthDays: [31], opens: "08:00", closes: "10:00" };
    expect(marketState(hours, at("2026-03-31", 11)).opensAtMs).toBe(at("2026-05-31", 8));
  });
  test("closing at 24:00 stays open until midnight in Beijing", () => {
    const hours: OpeningHours = { weekdays: [1], opens: "20:00", closes: "24:00" };
    expect(marketState(hours, at("2026-03-02", 23.5))).toEqual({
      open: true,
      opensAtMs: null,
      closesAtMs: at("2026-03-03", 0),
    });
    expect(marketState(hours, at("2026-03-03", 0)).opensAtMs).toBe(at("2026-03-09", 20));
  });
  test("a day that is either a weekday or a day of the month named opens", () => {
    const hours: OpeningHours = { weekdays: [3], monthDays: [3], opens: "08:00", closes: "09:00" };
    // Monday 2 March: next is Tuesday 3 March (the 3rd), then Wednesday 4 March.
    expect(marketState(hours, at("2026-03-02", 10)).opensAtMs).toBe(at("2026-03-03", 8));
    expect(marketState(hours, at("2026-03-03", 10)).opensAtMs).toBe(at("2026-03-04", 8));
  });
});
