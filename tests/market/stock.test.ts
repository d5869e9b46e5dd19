/**
 * Proves the back office's stock through real HTTP on a real database: an intake names its
 * source (a donation its donor) and callers that name none get 'other'; a write-off takes a
 * reason and no source; a stock count sets the stock to what was counted in one movement of kind
 * count (none when it matches) and is audited either way; the stock ledger pages newest first
 * and names who recorded each movement; goods answer whether they are low. Every refusal is a
 * 4xx with its code that writes nothing.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { freshMarket, rowCounts, stockOf, type MarketWorld } from "../support/market-fixture.ts";

let h: Harness;
let w: MarketWorld;
beforeEach(async () => {
  ({ h, w } = await freshMarket());
});
afterEach(() => h.close());

const stock = (goodsId: string, body: unknown, cookie = w.aClerk) =>
  h.json("POST", `/api/goods/${goodsId}/stock`, { cookie, body });
const count = (goodsId: string, body: unknown, cookie = w.aClerk) =>
  h.json("POST", `/api/goods/${goodsId}/count`, { cookie, body });
const lastAudit = () =>
  h.db
    .query<{ action: string; entity: string; detail: string }, []>(
      "SELECT action, entity, detail FROM audit_log ORDER BY id DESC LIMIT 1",
    )
    .get()!;

describe("intake with its source", () => {
  test("a donation stores its donor on the movement, in the answer, the ledger and the audit row", async () => {
    const res = await stock(w.soap.id, {
      delta: 12,
      source: "donation",
      donor: "县供销社",
      reason: "春节慰问",
    });
    expect(res.status).toBe(201);
    expect(res.body.movement).toMatchObject({
      kind: "intake",
      delta: 12,
      source: "donation",
      donor: "县供销社",
      reason: "春节慰问",
      stockAfter: 15,
      by: "a_clerk",
    });
    expect(res.body.good).toMatchObject({ id: w.soap.id, stock: 15 });
    const row = h.db
      .query<{ source: string; donor: string }, [number]>(
        "SELECT source, donor FROM stock_movements WHERE id = ?",
      )
      .get(Number(res.body.movement.id))!;
    expect(row).toEqual({ source: "donation", donor: "县供销社" });
    const audit = lastAudit();
    expect([audit.action, audit.entity]).toEqual(["intake", "goods"]);
    expect(JSON.parse(audit.detail)).toMatchObject({
      delta: 12,
      source: "donation",
      donor: "县供销社",
      stockAfter: 15,
    });
  });

  test.each(["government", "village", "other"] as const)(
    "an intake from %s needs no donor and may name one",
    async (source) => {
      const plain = await stock(w.soap.id, { delta: 1, source });
      expect(plain.status).toBe(201);
      expect(plain.body.movement).toMatchObject({ source, donor: null });
      const named = await stock(w.soap.id, { delta: 1, source, donor: "村集体" });
      expect(named.body.movement).toMatchObject({ source, donor: "村集体" });
    },
  );

  test("an intake that names no source (the demo's and older callers') is recorded as other", async () => {
    const res = await stock(w.soap.id, { delta: 5, reason: "进货" });
    expect(res.status).toBe(201);
    expect(res.body.movement).toMatchObject({ source: "other", donor: null, reason: "进货" });
  });

  test("a donor of 60 characters is taken, of 61 refused", async () => {
    expect(
      (await stock(w.soap.id, { delta: 1, source: "donation", donor: "企".repeat(60) })).status,
    ).toBe(201);
    const long = await stock(w.soap.id, { delta: 1, source: "donation", donor: "企".repeat(61) });
    expect(long.status).toBe(400);
    expect(long.body.errors[0].path).toBe("body.donor");
  });

  test.each([
    [
      "a donation without a donor",
      { delta: 3, source: "donation" },
      "body.donor",
      "donation-needs-donor",
    ],
    [
      "a donation with a blank donor",
      { delta: 3, source: "donation", donor: "   " },
      "body.donor",
      undefined,
    ],
    ["an unknown source", { delta: 3, source: "gift" }, "body.source", undefined],
    [
      "a write-off with a source",
      { delta: -1, reason: "破损", source: "other" },
      "body.source",
      "write-off-takes-no-source",
    ],
    [
      "a write-off with a donor",
      { delta: -1, reason: "破损", donor: "某人" },
      "body.donor",
      "write-off-takes-no-source",
    ],
    ["a write-off without a reason", { delta: -1 }, "body.reason", "write-off-needs-reason"],
  ])("refuses %s with a 400 naming the field, writing nothing", async (_, body, path, code) => {
    const before = rowCounts(h.db);
    const res = await stock(w.soap.id, body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe(path);
    if (code !== undefined) expect(res.body.code).toBe(code);
    expect(rowCounts(h.db)).toEqual(before);
  });

  test("a write-off over the stock answers 409 with its code and figures", async () => {
    const res = await stock(w.soap.id, { delta: -4, reason: "丢失" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: "write-off-over-stock",
      params: { goods: "肥皂", stock: 3, asked: 4 },
    });
  });
});

describe("the stock ledger", () => {
  test("pages newest first with a cursor, every kind with who recorded it, the good and its stock", async () => {
    const sale = await h.json("POST", "/api/redemptions", {
      token: w.kioskA,
      headers: { "idempotency-key": "s1" },
      body: { cardToken: w.card.token, items: [{ goodsId: w.soap.id, quantity: 1 }] },
    });
    expect(sale.status).toBe(201);
    await h.json("POST", `/api/redemptions/${sale.body.id}/void`, {
      cookie: w.aAdmin,
      body: { reason: "录错了" },
    });
    await stock(w.soap.id, { delta: -1, reason: "受潮" });
    await count(w.soap.id, { counted: 5, reason: "月底盘点" });
    const first = await h.json("GET", `/api/goods/${w.soap.id}/stock?limit=2`, {
      cookie: w.aClerk,
    });
    expect(first.status).toBe(200);
    expect(first.body.good).toMatchObject({ id: w.soap.id, stock: 5 });
    expect(first.body.stock).toBe(5);
    expect(first.body.sumOfMovements).toBe(5);
    expect(
      first.body.items.map((m: { kind: string; delta: number; stockAfter: number }) => [
        m.kind,
        m.delta,
        m.stockAfter,
      ]),
    ).toEqual([
      ["count", 3, 5],
      ["write_off", -1, 2],
    ]);
    expect(first.body.nextCursor).not.toBeNull();
    const rest = await h.json(
      "GET",
      `/api/goods/${w.soap.id}/stock?limit=5&cursor=${first.body.nextCursor}`,
      { cookie: w.aClerk },
    );
    expect(rest.body.items.map((m: { kind: string; by: string }) => [m.kind, m.by])).toEqual([
      ["void", "a_admin"],
      ["sale", "A 超市"],
      ["intake", "a_admin"],
    ]);
    expect(rest.body.items[1].redemptionId).toBe(sale.body.id);
    expect(rest.body.nextCursor).toBeNull();
  });

  test("names staff by their display name when they have one", async () => {
    const me = h.db
      .query<{ id: number }, []>("SELECT id FROM users WHERE username = 'a_clerk'")
      .get()!;
    h.db.run(`UPDATE users SET display_name = '王会计' WHERE id = ${me.id}`);
    await stock(w.soap.id, { delta: 1 });
    const ledger = await h.json("GET", `/api/goods/${w.soap.id}/stock?limit=1`, {
      cookie: w.aAdmin,
    });
    expect(ledger.body.items[0].by).toBe("王会计");
  });

  test.each([["limit=0"], ["limit=201"], ["cursor=%%%"], ["page=2"]])(
    "refuses the query %s with 400",
    async (q) => {
      expect(
        (await h.json("GET", `/api/goods/${w.soap.id}/stock?${q}`, { cookie: w.aClerk })).status,
      ).toBe(400);
    },
  );

  test("another village's staff get 404 and a kiosk 403", async () => {
    expect(
      (await h.json("GET", `/api/goods/${w.soap.id}/stock`, { cookie: w.bAdmin })).status,
    ).toBe(404);
    expect((await h.json("GET", `/api/goods/${w.soap.id}/stock`, { token: w.kioskA })).status).toBe(
      403,
    );
  });
});

describe("stock count", () => {
  test("fewer on the shelf: one count movement takes the difference off with the reason", async () => {
    const res = await count(w.rice.id, { counted: 7, reason: "老鼠咬坏" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      before: 10,
      counted: 7,
      difference: -3,
      movement: { kind: "count", delta: -3, reason: "老鼠咬坏", stockAfter: 7, source: null },
      good: { stock: 7 },
    });
    expect(stockOf(h.db, w.rice.id)).toEqual({ stock: 7, sum: 7 });
    const audit = lastAudit();
    expect(audit.action).toBe("count");
    expect(JSON.parse(audit.detail)).toMatchObject({
      before: 10,
      counted: 7,
      difference: -3,
      reason: "老鼠咬坏",
    });
  });

  test("more on the shelf: the units found are taken in", async () => {
    const res = await count(w.rice.id, { counted: 12, reason: "漏记一箱" });
    expect(res.body).toMatchObject({
      before: 10,
      difference: 2,
      movement: { kind: "count", delta: 2 },
    });
    expect(stockOf(h.db, w.rice.id)).toEqual({ stock: 12, sum: 12 });
  });

  test("a count that matches records no movement, only its audit row", async () => {
    const before = rowCounts(h.db);
    const res = await count(w.rice.id, { counted: 10, reason: "核对无误" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ before: 10, counted: 10, difference: 0, movement: null });
    expect(rowCounts(h.db)).toEqual({ ...before, audit_log: before["audit_log"]! + 1 });
  });

  test.each([[0], [1_000_000]])("counts %p, the edges of the range", async (counted) => {
    const res = await count(w.rice.id, { counted, reason: "盘点" });
    expect(res.status).toBe(201);
    expect(stockOf(h.db, w.rice.id)).toEqual({ stock: counted, sum: counted });
  });

  test.each([
    ["a negative count", { counted: -1, reason: "x" }, "body.counted"],
    ["a count over a million", { counted: 1_000_001, reason: "x" }, "body.counted"],
    ["a fractional count", { counted: 1.5, reason: "x" }, "body.counted"],
    ["a count as text", { counted: "7", reason: "x" }, "body.counted"],
    ["no reason", { counted: 7 }, "body.reason"],
    ["a blank reason", { counted: 7, reason: "  " }, "body.reason"],
    ["a reason of 201 characters", { counted: 7, reason: "因".repeat(201) }, "body.reason"],
    ["an unknown field", { counted: 7, reason: "x", delta: 1 }, "body"],
  ])("refuses %s with a 400 naming the field, writing nothing", async (_, body, path) => {
    const before = rowCounts(h.db);
    const res = await count(w.rice.id, body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe(path);
    expect(rowCounts(h.db)).toEqual(before);
  });

  test("clerks, village admins and the township admin count; a kiosk may not; another village gets 404", async () => {
    expect((await count(w.rice.id, { counted: 9, reason: "盘点" }, w.aAdmin)).status).toBe(201);
    expect((await count(w.rice.id, { counted: 8, reason: "盘点" }, w.admin)).status).toBe(201);
    expect(
      (
        await h.json("POST", `/api/goods/${w.rice.id}/count`, {
          token: w.kioskA,
          body: { counted: 1, reason: "x" },
        })
      ).status,
    ).toBe(403);
    expect((await count(w.rice.id, { counted: 1, reason: "x" }, w.bClerk)).status).toBe(404);
    expect((await count("999999", { counted: 1, reason: "x" })).status).toBe(404);
  });

  test("the supermarket's accounts count units found as goods in and units missing as written off", async () => {
    await count(w.rice.id, { counted: 12, reason: "多" });
    await count(w.soap.id, { counted: 1, reason: "少" });
    const accounts = await h.json(
      "GET",
      `/api/villages/${w.A}/market/accounts?from=2026-03-01&to=2026-03-31`,
      { cookie: w.aAdmin },
    );
    expect(accounts.body.totals).toMatchObject({ goodsInUnits: 13 + 2, writtenOffUnits: 2 });
  });
});

describe("low stock", () => {
  test("goods answer low when the stock is at or below the threshold, not above it", async () => {
    // Soap: 3 in stock, threshold 5; rice: 10.
    const list = (await h.json("GET", `/api/villages/${w.A}/goods`, { cookie: w.aClerk })).body
      .items as { name: string; low: boolean }[];
    expect(Object.fromEntries(list.map((g) => [g.name, g.low]))).toEqual({
      "大米 5kg": false,
      肥皂: true,
    });
    const edge = await h.json("PATCH", `/api/goods/${w.rice.id}`, {
      cookie: w.aClerk,
      body: { lowStockThreshold: 10 },
    });
    expect(edge.body.goods.low).toBe(true);
    const above = await h.json("PATCH", `/api/goods/${w.rice.id}`, {
      cookie: w.aClerk,
      body: { lowStockThreshold: 9 },
    });
    expect(above.body.goods.low).toBe(false);
    expect((await stock(w.soap.id, { delta: 3 })).body.goods.low).toBe(false);
  });
});
