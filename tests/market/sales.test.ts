/**
 * Proves the staff's sales list (GET /api/villages/:villageId/redemptions) through real HTTP on a
 * real database: each sale with its lines, the household's full name, the kiosk, the seller and
 * the void; newest first by day and id, paged by a cursor; filtered by Asia/Shanghai days (the
 * edges of a day included), kiosk, household, receipt number and voided, alone and together;
 * bad filters answer 400 and other villages 404.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { HOUR_MS, MINUTE_MS } from "../../src/shared/clock.ts";
import { awardPoints, freshMarket, type MarketWorld } from "../support/market-fixture.ts";

let h: Harness;
let w: MarketWorld;
let keySeq = 0;
beforeEach(async () => {
  ({ h, w } = await freshMarket());
  awardPoints(h.db, Number(w.household.id), 1000, h.clock.nowMs());
});
afterEach(() => h.close());

type Sale = {
  id: string;
  receiptNo: number;
  occurredOn: string;
  householdName: string;
  kioskId: string | null;
  kioskName: string | null;
  seller: string;
  voided: boolean;
  voidedBy: string | null;
  voidReason: string | null;
  items: unknown[];
};

const sell = async (
  goodsId: string,
  auth: { token?: string; cookie?: string } = { token: w.kioskA },
  cardToken = w.card.token,
) => {
  const res = await h.json("POST", "/api/redemptions", {
    ...auth,
    headers: { "idempotency-key": `k${++keySeq}` },
    body: { cardToken, items: [{ goodsId, quantity: 1 }] },
  });
  if (res.status !== 201) throw new Error(`sale failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; receiptNo: number };
};
const list = async (query = "", cookie = w.aClerk) =>
  h.json<{ items: Sale[]; nextCursor: string | null }>(
    "GET",
    `/api/villages/${w.A}/redemptions${query}`,
    { cookie },
  );
const receipts = (items: Sale[]) => items.map((s) => s.receiptNo);
/** Moves the clock on in steps shorter than a session's idle timeout, signed-in staff keeping their sessions. */
const passHours = async (hours: number) => {
  for (let left = hours; left > 0; left -= 10) {
    h.clock.advance(Math.min(left, 10) * HOUR_MS);
    for (const cookie of [w.aClerk, w.aAdmin]) await h.json("GET", "/api/me", { cookie });
  }
};

describe("the sales list", () => {
  test("answers each sale with its lines, the full name, the kiosk, the seller and no void", async () => {
    await sell(w.rice.id);
    const res = await list();
    expect(res.status).toBe(200);
    const kioskId = h.db
      .query<{ id: number }, []>("SELECT id FROM kiosks WHERE name = 'A 超市'")
      .get()!.id;
    expect(res.body.items).toEqual([
      expect.objectContaining({
        receiptNo: 1,
        occurredOn: "2026-03-02",
        householdId: w.household.id,
        householdName: "张建华",
        kioskId: String(kioskId),
        kioskName: "A 超市",
        seller: "A 超市",
        totalPoints: 30,
        items: [{ goodsId: w.rice.id, name: "大米 5kg", quantity: 1, pricePoints: 30, points: 30 }],
        voided: false,
        voidedAt: null,
        voidReason: null,
        voidedBy: null,
      }),
    ]);
    expect(res.body.nextCursor).toBeNull();
  });

  test("a sale at the counter has no kiosk and names the clerk who sold", async () => {
    await sell(w.soap.id, { cookie: w.aClerk });
    const [sale] = (await list()).body.items;
    expect(sale).toMatchObject({ kioskId: null, kioskName: null, seller: "a_clerk" });
  });

  test("pages newest first by day, then by id, with a cursor", async () => {
    await sell(w.soap.id); // 1: 03-02
    await passHours(24);
    await sell(w.soap.id); // 2: 03-03
    await sell(w.soap.id); // 3: 03-03
    await passHours(24);
    await sell(w.rice.id); // 4: 03-04
    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof list>> = await list(
        `?limit=3${cursor === null ? "" : `&cursor=${cursor}`}`,
      );
      pages.push(receipts(res.body.items));
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    expect(pages).toEqual([[4, 3, 2], [1]]);
  });

  test("filters by Asia/Shanghai days, both ends included", async () => {
    await passHours(13);
    h.clock.set(Date.UTC(2026, 2, 2, 15, 59)); // 23:59 on 03-02 in Shanghai
    await sell(w.soap.id); // 1
    h.clock.advance(2 * MINUTE_MS); // 00:01 on 03-03
    await sell(w.soap.id); // 2
    await passHours(48); // 03-05
    await sell(w.rice.id); // 3
    expect(receipts((await list("?from=2026-03-02&to=2026-03-02")).body.items)).toEqual([1]);
    expect(receipts((await list("?from=2026-03-03&to=2026-03-03")).body.items)).toEqual([2]);
    expect(receipts((await list("?from=2026-03-03")).body.items)).toEqual([3, 2]);
    expect(receipts((await list("?to=2026-03-04")).body.items)).toEqual([2, 1]);
    expect(receipts((await list("?from=2026-03-04&to=2026-03-04")).body.items)).toEqual([]);
    const days = (await list("?from=2026-03-02&to=2026-03-05")).body.items.map((s) => s.occurredOn);
    expect(days).toEqual(["2026-03-05", "2026-03-03", "2026-03-02"]);
  });

  test("filters by kiosk, by household and by receipt number, alone and with the days", async () => {
    await sell(w.soap.id); // 1 kiosk A
    await sell(w.soap.id, { cookie: w.aClerk }); // 2 counter
    const other = (
      await h.json("POST", `/api/villages/${w.A}/households`, {
        cookie: w.aAdmin,
        body: { headName: "王五" },
      })
    ).body.household;
    awardPoints(h.db, Number(other.id), 200, h.clock.nowMs());
    const card = (await h.json("POST", `/api/households/${other.id}/cards`, { cookie: w.aAdmin }))
      .body;
    await sell(w.rice.id, { token: w.kioskA }, card.token); // 3 kiosk A, 王五
    const kioskId = h.db
      .query<{ id: number }, []>("SELECT id FROM kiosks WHERE name = 'A 超市'")
      .get()!.id;
    expect(receipts((await list(`?kioskId=${kioskId}`)).body.items)).toEqual([3, 1]);
    expect(receipts((await list(`?householdId=${w.household.id}`)).body.items)).toEqual([2, 1]);
    expect(
      receipts((await list(`?householdId=${other.id}&kioskId=${kioskId}`)).body.items),
    ).toEqual([3]);
    expect((await list(`?householdId=${other.id}`)).body.items[0]!.householdName).toBe("王五");
    expect(receipts((await list("?receiptNo=2")).body.items)).toEqual([2]);
    expect(receipts((await list("?receiptNo=99")).body.items)).toEqual([]);
    expect(receipts((await list(`?kioskId=${kioskId}&from=2026-03-03`)).body.items)).toEqual([]);
    // Another village's kiosk or household finds nothing here.
    const kioskB = h.db
      .query<{ id: number }, []>("SELECT id FROM kiosks WHERE name = 'B 超市'")
      .get()!.id;
    expect((await list(`?kioskId=${kioskB}`)).body.items).toEqual([]);
    expect((await list(`?householdId=${w.householdB.id}`)).body.items).toEqual([]);
  });

  test("filters voided and standing sales; a void names who voided it and why", async () => {
    await sell(w.soap.id); // 1
    const second = await sell(w.soap.id); // 2
    await sell(w.rice.id); // 3
    h.clock.advance(HOUR_MS);
    expect(
      (
        await h.json("POST", `/api/redemptions/${second.id}/void`, {
          cookie: w.aAdmin,
          body: { reason: "刷错卡" },
        })
      ).status,
    ).toBe(201);
    const voided = (await list("?voided=true")).body.items;
    expect(receipts(voided)).toEqual([2]);
    expect(voided[0]).toMatchObject({ voided: true, voidReason: "刷错卡", voidedBy: "a_admin" });
    expect(receipts((await list("?voided=false")).body.items)).toEqual([3, 1]);
    expect(receipts((await list(`?voided=true&householdId=${w.household.id}`)).body.items)).toEqual(
      [2],
    );
    expect(receipts((await list("?voided=true&from=2026-03-03")).body.items)).toEqual([]);
  });

  test.each([
    ["to before from", "?from=2026-03-05&to=2026-03-04", "query.to"],
    ["a day that is not one", "?from=2026-02-30", "query.from"],
    ["a malformed day", "?to=2026-3-1", "query.to"],
    ["a kiosk id that is not one", "?kioskId=abc", "query.kioskId"],
    ["a receipt number of 0", "?receiptNo=0", "query.receiptNo"],
    ["voided as yes", "?voided=yes", "query.voided"],
    ["a limit of 201", "?limit=201", "query.limit"],
    [
      "a cursor that is not ours",
      `?cursor=${Buffer.from("hello").toString("base64url")}`,
      "query.cursor",
    ],
    ["an unknown filter", "?seller=a_clerk", "query"],
  ])("refuses %s with a 400 naming the parameter", async (_, query, path) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect((res.body as unknown as { errors: { path: string }[] }).errors[0]!.path).toBe(path);
  });

  test("a reversed period says so with its code", async () => {
    const res = await h.json(
      "GET",
      `/api/villages/${w.A}/redemptions?from=2026-03-05&to=2026-03-04`,
      { cookie: w.aClerk },
    );
    expect(res.body.code).toBe("period-reversed");
  });

  test("another village's staff get 404, a kiosk 403", async () => {
    expect((await list("", w.bAdmin)).status).toBe(404);
    expect(
      (await h.json("GET", `/api/villages/${w.A}/redemptions`, { token: w.kioskA })).status,
    ).toBe(403);
  });
});
