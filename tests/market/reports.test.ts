/**
 * Proves the supermarket's books reach the ledger's reports and the public board: the village and
 * township reports list goods redeemed by good (voided sales left out), and the board shows the
 * month's goods in and out and points redeemed.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { freshMarket, type MarketWorld } from "../support/market-fixture.ts";
import type { Harness } from "../support/harness.ts";
import { Database } from "bun:sqlite";
import { migrate } from "../../src/db/migrate.ts";
import { goodsRedeemedLines } from "../../src/market/accounts.ts";
import { plan, recordSql } from "../support/sql-plan.ts";

let h: Harness;
let w: MarketWorld;
beforeEach(async () => {
  ({ h, w } = await freshMarket());
});
afterEach(() => h.close());

const sell = (items: { goodsId: string; quantity: number }[], key: string) =>
  h.json("POST", "/api/redemptions", {
    token: w.kioskA,
    headers: { "idempotency-key": key },
    body: { cardToken: w.card.token, items },
  });

test("reports list goods redeemed by good and leave out a voided sale", async () => {
  expect(
    (
      await sell(
        [
          { goodsId: w.rice.id, quantity: 1 },
          { goodsId: w.soap.id, quantity: 2 },
        ],
        "k1",
      )
    ).status,
  ).toBe(201);
  const second = await sell([{ goodsId: w.soap.id, quantity: 1 }], "k2");
  expect(
    (
      await h.json("POST", `/api/redemptions/${second.body.id}/void`, {
        cookie: w.aAdmin,
        body: { reason: "录错了" },
      })
    ).status,
  ).toBe(201);
  const report = await h.json("GET", `/api/villages/${w.A}/report?from=2026-03-01&to=2026-03-31`, {
    cookie: w.aAdmin,
  });
  expect(report.status).toBe(200);
  expect(report.body.goodsRedeemed.items).toEqual([
    { goodsId: w.rice.id, name: "大米 5kg", quantity: 1, points: 30 },
    { goodsId: w.soap.id, name: "肥皂", quantity: 2, points: 10 },
  ]);
  expect(report.body.goodsRedeemed.points).toBe(40);
  const township = await h.json("GET", "/api/township/report?from=2026-03-01&to=2026-03-31", {
    cookie: w.admin,
  });
  expect(township.body.goodsRedeemed.items.map((g: { quantity: number }) => g.quantity)).toEqual([
    1, 2,
  ]);
});

test("a good is listed under the name it was last sold under, not a rename made after", async () => {
  expect((await sell([{ goodsId: w.rice.id, quantity: 1 }], "n1")).status).toBe(201);
  expect(
    (
      await h.json("PATCH", `/api/goods/${w.rice.id}`, {
        cookie: w.aAdmin,
        body: { name: "东北大米 5kg" },
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await sell(
        [
          { goodsId: w.rice.id, quantity: 1 },
          { goodsId: w.soap.id, quantity: 1 },
        ],
        "n2",
      )
    ).status,
  ).toBe(201);
  expect(
    (
      await h.json("PATCH", `/api/goods/${w.rice.id}`, {
        cookie: w.aAdmin,
        body: { name: "新米 5kg" },
      })
    ).status,
  ).toBe(200);
  const report = await h.json("GET", `/api/villages/${w.A}/report?from=2026-03-01&to=2026-03-31`, {
    cookie: w.aAdmin,
  });
  expect(report.body.goodsRedeemed.items).toEqual([
    { goodsId: w.rice.id, name: "东北大米 5kg", quantity: 2, points: 60 },
    { goodsId: w.soap.id, name: "肥皂", quantity: 1, points: 5 },
  ]);
});

test("the name a good was last sold under is found on the stock movements' index, not by reading every line sold", () => {
  const db = new Database(":memory:");
  migrate(db, Date.UTC(2026, 2, 1));
  for (const read of ["by-village", "by-range"] as const) {
    const sql = recordSql(db, (r) =>
      goodsRedeemedLines(r, [1, 2], "2026-03-01", "2026-03-31", read),
    ).find((q) => q.includes("GROUP BY l.goods_id"));
    const steps = plan(db, sql!);
    expect(steps).toContain("stock_movements_goods (goods_id=?)");
    expect(steps).toContain(
      "SEARCH l2 USING INDEX sqlite_autoindex_redemption_lines_1 (redemption_id=?)",
    );
    // Most villages: the period's lines in one pass over their key range, each sale by its key.
    if (read === "by-range")
      expect(steps).toContain(
        "sqlite_autoindex_redemption_lines_1 (redemption_id>? AND redemption_id<?)",
      );
  }
  db.close();
});

test("goods redeemed read village by village and read by the sales' id range answer the same lines", async () => {
  // Sales in both villages over two days, one voided, one before the period: the range read must
  // leave out what the village read leaves out.
  let n = 0;
  const sellAt = async (
    token: string,
    card: string,
    items: { goodsId: string; quantity: number }[],
  ) => {
    const res = await h.json("POST", "/api/redemptions", {
      token,
      headers: { "idempotency-key": `range-${++n}` },
      body: { cardToken: card, items },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  await sellAt(w.kioskA, w.card.token, [{ goodsId: w.rice.id, quantity: 1 }]); // 2026-03-02, before the period
  h.clock.advance(86_400_000);
  await sellAt(w.kioskA, w.card.token, [{ goodsId: w.soap.id, quantity: 2 }]);
  await sellAt(w.kioskB, w.cardB.token, [{ goodsId: w.oilB.id, quantity: 1 }]);
  const voided = await sellAt(w.kioskA, w.card.token, [{ goodsId: w.soap.id, quantity: 1 }]);
  expect(
    (
      await h.json("POST", `/api/redemptions/${voided}/void`, {
        cookie: await h.login("a_admin"), // a day on: the morning's session has lapsed
        body: { reason: "录错了" },
      })
    ).status,
  ).toBe(201);
  h.clock.advance(86_400_000);
  await sellAt(w.kioskA, w.card.token, [
    { goodsId: w.soap.id, quantity: 1 },
    { goodsId: w.rice.id, quantity: 1 },
  ]);
  const villages = [[Number(w.A)], [Number(w.B)], [Number(w.A), Number(w.B)]];
  for (const ids of villages) {
    const byVillage = goodsRedeemedLines(h.db, ids, "2026-03-03", "2026-03-31", "by-village");
    expect(byVillage.length).toBeGreaterThan(0);
    expect(goodsRedeemedLines(h.db, ids, "2026-03-03", "2026-03-31", "by-range")).toEqual(
      byVillage,
    );
  }
  expect(goodsRedeemedLines(h.db, [Number(w.A)], "2026-03-03", "2026-03-31", "by-range")).toEqual(
    [
      { goodsId: Number(w.soap.id), name: "肥皂", quantity: 3, points: 15 },
      { goodsId: Number(w.rice.id), name: "大米 5kg", quantity: 1, points: 30 },
    ].sort((a, b) => b.points - a.points),
  );
  // A period without a sale: nothing, either way.
  expect(goodsRedeemedLines(h.db, [Number(w.A)], "2026-04-01", "2026-04-30", "by-range")).toEqual(
    [],
  );
});

test("the public board shows the supermarket's month: goods in, goods out, points redeemed", async () => {
  expect((await sell([{ goodsId: w.rice.id, quantity: 2 }], "k3")).status).toBe(201);
  const board = await h.json("GET", `/api/public/villages/${w.A}/board`);
  expect(board.status).toBe(200);
  const march = board.body.supermarket.find((m: { month: string }) => m.month === "2026-03");
  expect(march).toMatchObject({ goodsInUnits: 13, soldUnits: 2, pointsRedeemed: 60 });
  expect(board.body.supermarket.length).toBe(6);
});

test("the CSV and XLSX downloads carry the same goods lines as the JSON report", async () => {
  expect((await sell([{ goodsId: w.rice.id, quantity: 2 }], "k4")).status).toBe(201);
  const csv = await h.request(
    "GET",
    `/api/villages/${w.A}/report?from=2026-03-01&to=2026-03-31&format=csv`,
    { cookie: w.aAdmin },
  );
  const bytes = new Uint8Array(await csv.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel in China needs
  const text = new TextDecoder().decode(bytes);
  expect(text).toContain("goods 商品,quantity 数量,points 积分");
  expect(text).toContain("大米 5kg,2,60");
  const xlsx = await h.request(
    "GET",
    `/api/villages/${w.A}/report?from=2026-03-01&to=2026-03-31&format=xlsx`,
    { cookie: w.aAdmin },
  );
  const ExcelJS = (await import("exceljs")).default;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await xlsx.arrayBuffer());
  const sheet = wb.getWorksheet("Goods redeemed")!;
  const values = sheet
    .getSheetValues()
    .filter(Boolean)
    .map((row) => (row as unknown[]).slice(1));
  expect(values).toContainEqual(["大米 5kg", 2, 60]);
});
