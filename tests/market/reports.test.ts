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
  const [sql] = recordSql(db, (r) => goodsRedeemedLines(r, [1, 2], "2026-03-01", "2026-03-31"));
  const steps = plan(db, sql!);
  expect(steps).toContain("stock_movements_goods (goods_id=?)");
  expect(steps).toContain(
    "SEARCH l2 USING INDEX sqlite_autoindex_redemption_lines_1 (redemption_id=?)",
  );
  db.close();
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
