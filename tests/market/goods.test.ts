/**
 * Proves the goods side of the supermarket through real HTTP on a real database: creating,
 * listing and changing goods per village (tenancy: another village's staff get 404), the stock
 * ledger (intake, write-off with reason, never below zero, stored stock = sum of movements),
 * photo upload typed by its bytes and served with the right type, the kiosk's shelf, and that
 * bad inputs answer 4xx and write nothing.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { freshMarket, rowCounts, stockOf, type MarketWorld } from "../support/market-fixture.ts";
import { headerOnly, JPEG_6X4, PNG_6X4, WEBP_LOSSLESS_6X4 } from "../support/images.ts";

let h: Harness;
let w: MarketWorld;
beforeEach(async () => {
  ({ h, w } = await freshMarket());
});
afterEach(() => h.close());

const PNG = PNG_6X4;
const JPEG = JPEG_6X4;
const WEBP = WEBP_LOSSLESS_6X4;

describe("goods", () => {
  test("a good's low-stock threshold is 5 unless given, and may be set from 0 to 1,000,000 on create or edit", async () => {
    const plain = await h.json("POST", `/api/villages/${w.A}/goods`, {
      cookie: w.aClerk,
      body: { name: "酱油", pricePoints: 8 },
    });
    expect(plain.body.goods.lowStockThreshold).toBe(5);
    const set = await h.json("POST", `/api/villages/${w.A}/goods`, {
      cookie: w.aClerk,
      body: { name: "食盐", pricePoints: 2, lowStockThreshold: 0 },
    });
    expect(set.body.goods.lowStockThreshold).toBe(0);
    const edited = await h.json("PATCH", `/api/goods/${set.body.goods.id}`, {
      cookie: w.aClerk,
      body: { lowStockThreshold: 1_000_000 },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.goods.lowStockThreshold).toBe(1_000_000);
    expect(
      (await h.json("GET", `/api/goods/${set.body.goods.id}`, { cookie: w.aClerk })).body.goods
        .lowStockThreshold,
    ).toBe(1_000_000);
    const listed = (await h.json("GET", `/api/villages/${w.A}/goods`, { cookie: w.aClerk })).body
      .items;
    expect(
      listed.every((g: { lowStockThreshold: number }) => Number.isInteger(g.lowStockThreshold)),
    ).toBe(true);
  });

  test.each([[-1], [1.5], [1_000_001], ["5"], [null]])(
    "refuses the low-stock threshold %p on create and edit with a 400 naming it",
    async (lowStockThreshold) => {
      const before = rowCounts(h.db);
      const created = await h.json("POST", `/api/villages/${w.A}/goods`, {
        cookie: w.aClerk,
        body: { name: "酱油", pricePoints: 8, lowStockThreshold },
      });
      expect(created.status).toBe(400);
      expect(created.body.errors[0].path).toBe("body.lowStockThreshold");
      const edited = await h.json("PATCH", `/api/goods/${w.rice.id}`, {
        cookie: w.aClerk,
        body: { lowStockThreshold },
      });
      expect(edited.status).toBe(400);
      expect(edited.body.errors[0].path).toBe("body.lowStockThreshold");
      expect(rowCounts(h.db)).toEqual(before);
    },
  );

  test("creates a good with its initial stock recorded as an intake movement", async () => {
    const res = await h.json("POST", `/api/villages/${w.A}/goods`, {
      cookie: w.aClerk,
      body: { name: "酱油", pricePoints: 8, stock: 4, category: "调料" },
    });
    expect(res.status).toBe(201);
    expect(res.body.goods).toMatchObject({
      name: "酱油",
      pricePoints: 8,
      stock: 4,
      category: "调料",
      active: true,
      imageUrl: null,
      villageId: w.A,
    });
    const ledger = await h.json("GET", `/api/goods/${res.body.goods.id}/stock`, {
      cookie: w.aClerk,
    });
    expect(
      ledger.body.items.map((m: { kind: string; delta: number; source: string }) => [
        m.kind,
        m.delta,
        m.source,
      ]),
    ).toEqual([["intake", 4, "other"]]);
    expect(ledger.body.sumOfMovements).toBe(4);
  });

  test.each([
    ["a missing price", { name: "x" }],
    ["a price of zero", { name: "x", pricePoints: 0 }],
    ["a fractional price", { name: "x", pricePoints: 1.5 }],
    ["a price as a string", { name: "x", pricePoints: "5" }],
    ["an empty name", { name: "  ", pricePoints: 5 }],
    ["a negative stock", { name: "x", pricePoints: 5, stock: -1 }],
    ["an unknown field", { name: "x", pricePoints: 5, colour: "red" }],
    [
      "an image on another site",
      { name: "x", pricePoints: 5, imageUrl: "https://evil.example/a.png" },
    ],
    [
      "an image path that climbs out",
      { name: "x", pricePoints: 5, imageUrl: "/goods/../../etc/passwd" },
    ],
    ["a javascript: image url", { name: "x", pricePoints: 5, imageUrl: "javascript:alert(1)" }],
  ])("refuses to create a good with %s, writing nothing", async (_, body) => {
    const before = rowCounts(h.db);
    const res = await h.json("POST", `/api/villages/${w.A}/goods`, { cookie: w.aAdmin, body });
    expect(res.status).toBe(400);
    expect(res.body.type).toEndWith("/validation");
    expect(rowCounts(h.db)).toEqual(before);
  });

  test("answers 404 to staff of another village, 401 without sign-in, and 403 to a kiosk creating goods", async () => {
    expect(
      (
        await h.json("POST", `/api/villages/${w.A}/goods`, {
          cookie: w.bAdmin,
          body: { name: "x", pricePoints: 1 },
        })
      ).status,
    ).toBe(404);
    expect((await h.json("GET", `/api/villages/${w.A}/goods`, { cookie: w.bClerk })).status).toBe(
      404,
    );
    expect(
      (
        await h.json("PATCH", `/api/goods/${w.rice.id}`, {
          cookie: w.bAdmin,
          body: { pricePoints: 1 },
        })
      ).status,
    ).toBe(404);
    expect(
      (await h.json("POST", `/api/villages/${w.A}/goods`, { body: { name: "x", pricePoints: 1 } }))
        .status,
    ).toBe(401);
    expect(
      (
        await h.json("POST", `/api/villages/${w.A}/goods`, {
          token: w.kioskA,
          body: { name: "x", pricePoints: 1 },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await h.json("POST", `/api/villages/999/goods`, {
          cookie: w.admin,
          body: { name: "x", pricePoints: 1 },
        })
      ).status,
    ).toBe(404);
  });

  test("lists a village's goods, inactive ones too, and filters with ?active", async () => {
    await h.json("PATCH", `/api/goods/${w.soap.id}`, { cookie: w.aAdmin, body: { active: false } });
    const all = await h.json("GET", `/api/villages/${w.A}/goods`, { cookie: w.aClerk });
    expect(all.body.items.map((g: { name: string }) => g.name).sort()).toEqual([
      "大米 5kg",
      "肥皂",
    ]);
    const active = await h.json("GET", `/api/villages/${w.A}/goods?active=true`, {
      cookie: w.aClerk,
    });
    expect(active.body.items.map((g: { name: string }) => g.name)).toEqual(["大米 5kg"]);
    expect(
      (await h.json("GET", `/api/villages/${w.A}/goods?active=maybe`, { cookie: w.aClerk })).status,
    ).toBe(400);
  });

  test("changes a good's price without changing a past redemption's line", async () => {
    const sale = await h.json("POST", "/api/redemptions", {
      token: w.kioskA,
      headers: { "idempotency-key": "k-price" },
      body: { cardToken: w.card.token, items: [{ goodsId: w.rice.id, quantity: 1 }] },
    });
    expect(sale.status).toBe(201);
    const patched = await h.json("PATCH", `/api/goods/${w.rice.id}`, {
      cookie: w.aAdmin,
      body: { pricePoints: 99, name: "东北大米 5kg" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.goods).toMatchObject({ pricePoints: 99, name: "东北大米 5kg" });
    const receipt = await h.json("GET", `/api/redemptions/${sale.body.id}`, { cookie: w.aClerk });
    expect(receipt.body.items).toEqual([
      { goodsId: w.rice.id, name: "大米 5kg", quantity: 1, pricePoints: 30, points: 30 },
    ]);
    expect(receipt.body.totalPoints).toBe(30);
  });

  test.each([
    ["an empty patch", {}],
    ["a stock change (stock moves only through the stock ledger)", { stock: 100 }],
    ["a negative price", { pricePoints: -3 }],
    ["a non-boolean active", { active: "no" }],
  ])("refuses %s", async (_, body) => {
    const res = await h.json("PATCH", `/api/goods/${w.rice.id}`, { cookie: w.aAdmin, body });
    expect(res.status).toBe(400);
  });

  test("answers 404 for a good that does not exist and 400 for an id that is not one", async () => {
    expect(
      (await h.json("PATCH", "/api/goods/9999", { cookie: w.aAdmin, body: { active: false } }))
        .status,
    ).toBe(404);
    expect(
      (await h.json("PATCH", "/api/goods/abc", { cookie: w.aAdmin, body: { active: false } }))
        .status,
    ).toBe(400);
  });
});

describe("stock ledger", () => {
  test("takes goods in and writes them off with a reason; stored stock equals the sum of movements", async () => {
    const intake = await h.json("POST", `/api/goods/${w.soap.id}/stock`, {
      cookie: w.aClerk,
      body: { delta: 20, reason: "镇供销社进货" },
    });
    expect(intake.status).toBe(201);
    expect(intake.body).toMatchObject({
      stock: 23,
      movement: { kind: "intake", delta: 20, stockAfter: 23 },
    });
    const writeOff = await h.json("POST", `/api/goods/${w.soap.id}/stock`, {
      cookie: w.aClerk,
      body: { delta: -2, reason: "受潮" },
    });
    expect(writeOff.status).toBe(201);
    expect(writeOff.body).toMatchObject({
      stock: 21,
      movement: { kind: "write_off", delta: -2, reason: "受潮" },
    });
    expect(stockOf(h.db, w.soap.id)).toEqual({ stock: 21, sum: 21 });
  });

  test("refuses a write-off past the last unit with 409 out-of-stock and changes nothing", async () => {
    const before = rowCounts(h.db);
    const res = await h.json("POST", `/api/goods/${w.soap.id}/stock`, {
      cookie: w.aClerk,
      body: { delta: -4, reason: "丢失" },
    });
    expect(res.status).toBe(409);
    expect(res.body.type).toEndWith("/out-of-stock");
    expect(rowCounts(h.db)).toEqual(before);
    expect(stockOf(h.db, w.soap.id)).toEqual({ stock: 3, sum: 3 });
  });

  test("writes off exactly the last unit, leaving zero", async () => {
    expect(
      (
        await h.json("POST", `/api/goods/${w.soap.id}/stock`, {
          cookie: w.aClerk,
          body: { delta: -3, reason: "过期" },
        })
      ).status,
    ).toBe(201);
    expect(stockOf(h.db, w.soap.id)).toEqual({ stock: 0, sum: 0 });
  });

  test.each([
    ["a write-off without a reason", { delta: -1 }],
    ["a zero delta", { delta: 0, reason: "x" }],
    ["a fractional delta", { delta: 1.5 }],
    ["a huge delta", { delta: 10_000_000 }],
    ["a missing delta", { reason: "x" }],
  ])("refuses %s with 400", async (_, body) => {
    const before = rowCounts(h.db);
    const res = await h.json("POST", `/api/goods/${w.soap.id}/stock`, { cookie: w.aClerk, body });
    expect(res.status).toBe(400);
    expect(rowCounts(h.db)).toEqual(before);
  });

  test("a kiosk may not take in stock, and another village's clerk gets 404", async () => {
    expect(
      (
        await h.json("POST", `/api/goods/${w.soap.id}/stock`, {
          token: w.kioskA,
          body: { delta: 1 },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await h.json("POST", `/api/goods/${w.soap.id}/stock`, {
          cookie: w.bClerk,
          body: { delta: 1 },
        })
      ).status,
    ).toBe(404);
  });
});

describe("photos", () => {
  test.each([
    ["PNG", PNG, "image/png"],
    ["JPEG", JPEG, "image/jpeg"],
    ["WebP", WEBP, "image/webp"],
  ])("stores a %s photo and serves it back with its type", async (_, bytes, type) => {
    // The declared type is deliberately generic: the type comes from the bytes.
    const res = await h.json("PUT", `/api/goods/${w.rice.id}/image`, {
      cookie: w.aAdmin,
      raw: bytes,
      contentType: "application/octet-stream",
    });
    expect(res.status).toBe(200);
    const url: string = res.body.goods.imageUrl;
    expect(url).toMatch(/^\/goods-images\/\d+-[0-9a-f]{16}\.(png|jpg|webp)$/);
    const served = await h.request("GET", url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe(type);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
  });

  test("refuses a file whose bytes are not a picture, whatever it claims, with 415", async () => {
    const res = await h.json("PUT", `/api/goods/${w.rice.id}/image`, {
      cookie: w.aAdmin,
      raw: new TextEncoder().encode("<svg onload=alert(1)>"),
      contentType: "image/png",
    });
    expect(res.status).toBe(415);
    expect(
      (await h.json("GET", `/api/goods/${w.rice.id}`, { cookie: w.aAdmin })).body.goods.imageUrl,
    ).toBe("/goods/rice.svg");
  });

  test.each([
    ["a PNG header alone", () => headerOnly(PNG)],
    ["a JPEG header alone", () => headerOnly(JPEG)],
    ["a WebP header alone", () => headerOnly(WEBP)],
    ["a JPEG cut short", () => JPEG.slice(0, JPEG.length - 2)],
  ])("refuses %s with 415 invalid-image; the photo stays", async (_, bytes) => {
    const res = await h.json("PUT", `/api/goods/${w.rice.id}/image`, {
      cookie: w.aAdmin,
      raw: bytes(),
      contentType: "image/png",
    });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe("invalid-image");
    expect(
      (await h.json("GET", `/api/goods/${w.rice.id}`, { cookie: w.aAdmin })).body.goods.imageUrl,
    ).toBe("/goods/rice.svg");
  });

  test("refuses a photo over 2 MiB with 413 and a text body with 415", async () => {
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(PNG);
    expect(
      (
        await h.json("PUT", `/api/goods/${w.rice.id}/image`, {
          cookie: w.aAdmin,
          raw: big,
          contentType: "image/png",
        })
      ).status,
    ).toBe(413);
    expect(
      (
        await h.json("PUT", `/api/goods/${w.rice.id}/image`, {
          cookie: w.aAdmin,
          raw: "hello",
          contentType: "text/plain",
        })
      ).status,
    ).toBe(415);
  });

  test("answers 404 for an unknown picture and 400 for a name that could climb out of the folder", async () => {
    expect((await h.request("GET", "/goods-images/1-0123456789abcdef.png")).status).toBe(404);
    expect((await h.request("GET", "/goods-images/..%2Ftest.db")).status).toBe(400);
  });
});

describe("the kiosk's shelf", () => {
  test("shows a kiosk only its own village's active goods", async () => {
    await h.json("PATCH", `/api/goods/${w.soap.id}`, { cookie: w.aAdmin, body: { active: false } });
    const res = await h.json("GET", "/api/kiosk/goods", { token: w.kioskA });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        id: w.rice.id,
        name: "大米 5kg",
        pricePoints: 30,
        stock: 10,
        category: "粮油",
        imageUrl: "/goods/rice.svg",
        active: true,
      },
    ]);
    const b = await h.json("GET", "/api/kiosk/goods", { token: w.kioskB });
    expect(b.body.items.map((g: { name: string }) => g.name)).toEqual(["食用油"]);
  });

  test("lets a clerk read the shelf, refuses a township admin (no village) and a bad token", async () => {
    expect((await h.json("GET", "/api/kiosk/goods", { cookie: w.aClerk })).body.items.length).toBe(
      2,
    );
    expect((await h.json("GET", "/api/kiosk/goods", { cookie: w.admin })).status).toBe(403);
    expect((await h.json("GET", "/api/kiosk/goods", { token: "x".repeat(40) })).status).toBe(401);
  });
});
