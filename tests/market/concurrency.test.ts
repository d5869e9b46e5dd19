/**
 * Proves that real concurrency cannot overdraw a card, oversell the last unit, or charge one
 * basket twice: two server processes (tests/support/server-process.ts) on ONE database file take
 * 1,000 parallel redemptions over real HTTP, then the file is read back and every invariant is
 * checked: balance ≥ 0, points conserved (start − sold = balance, and the ledger's entries sum to
 * it), stock = start − units sold = sum of movements ≥ 0, receipt numbers 1..n without gaps.
 */
import { spawnServerProcess } from "../support/server.ts";
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Database } from "bun:sqlite";
import type { Subprocess } from "bun";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { immediate, openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { systemAudit } from "../../src/audit/audit.ts";
import { newDeviceToken } from "../../src/auth/sessions.ts";
import { insertVillage } from "../../src/villages/village-store.ts";
import { insertHousehold } from "../../src/villages/household-store.ts";
import { insertCard } from "../../src/villages/card-store.ts";
import { createGoods } from "../../src/market/goods.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";
import { awardPoints, balanceOf, stockOf } from "../support/market-fixture.ts";

const REQUESTS = 1000;
const dir = mkdtempSync(join(tmpdir(), "jifen-race-"));
const file = join(dir, "race.db");
const servers: Subprocess[] = [];
const origins: string[] = [];

type Seed = { kioskToken: string; cardToken: string; householdId: number; goodsId: number };

/** A village with one kiosk, one household with `balance` points and one good with `stock` units. */
function seed(
  db: Database,
  code: string,
  balance: number,
  pricePoints: number,
  stock: number,
): Seed {
  const nowMs = Date.now();
  const { villageId, householdId, cardToken, kioskToken } = immediate(db, () => {
    const village = insertVillage(db, { name: `村${code}`, code, nowMs });
    const householdId = insertHousehold(
      db,
      village.id,
      { headName: "王大明", address: "", externalId: null, members: [] },
      nowMs,
    );
    const card = insertCard(db, householdId, village.id, nowMs);
    const { token, hash } = newDeviceToken();
    db.query(
      "INSERT INTO kiosks (village_id, name, token_hash, created_at_ms) VALUES (?, 'k', ?, ?)",
    ).run(village.id, hash, nowMs);
    return { villageId: village.id, householdId, cardToken: card.token, kioskToken: token };
  });
  awardPoints(db, householdId, balance, nowMs);
  const goods = createGoods(db, systemAudit(nowMs), {
    villageId,
    name: `货${code}`,
    pricePoints,
    stock,
    createdBy: "system",
  });
  return { kioskToken, cardToken, householdId, goodsId: Number(goods.id) };
}

function startServer(): Promise<{ proc: Subprocess; origin: string }> {
  return spawnServerProcess(file);
}

let overdraw: Seed;
let lastUnit: Seed;
let sameKey: Seed;

beforeAll(async () => {
  const db = openDatabase(file);
  migrate(db, Date.now());
  overdraw = seed(db, "OD", 1000, 3, 100_000);
  lastUnit = seed(db, "LU", 100_000, 1, 1);
  sameKey = seed(db, "SK", 100, 7, 100);
  db.close();
  for (let i = 0; i < 2; i++) {
    const s = await startServer();
    servers.push(s.proc);
    origins.push(s.origin);
  }
});

afterAll(() => {
  for (const proc of servers) proc.kill();
  rmSync(dir, { recursive: true, force: true });
});

type Sale = {
  status: number;
  body: { type?: string; totalPoints?: number; items?: { quantity: number }[] };
};

async function sell(i: number, s: Seed, quantity: number, key: string): Promise<Sale> {
  const res = await fetch(`${origins[i % 2]}/api/redemptions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${s.kioskToken}`,
      "content-type": "application/json",
      "idempotency-key": key,
    },
    body: JSON.stringify({
      cardToken: s.cardToken,
      items: [{ goodsId: String(s.goodsId), quantity }],
    }),
  });
  return { status: res.status, body: (await res.json()) as Sale["body"] };
}

function readBack<T>(fn: (db: Database) => T): T {
  const db = openDatabase(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

test("1,000 parallel redemptions on one card from two processes never take it below zero and conserve points and goods", async () => {
  const sales = await Promise.all(
    Array.from({ length: REQUESTS }, (_, i) => sell(i, overdraw, 1 + (i % 3), `od-${i}`)),
  );
  const ok = sales.filter((s) => s.status === 201);
  const refused = sales.filter((s) => s.status === 409);
  expect(ok.length + refused.length).toBe(REQUESTS);
  expect(refused.every((s) => s.body.type?.endsWith("/insufficient-points"))).toBe(true);
  expect(refused.length).toBeGreaterThan(0);
  const pointsSold = ok.reduce((sum, s) => sum + s.body.totalPoints!, 0);
  const unitsSold = ok.reduce((sum, s) => sum + s.body.items![0]!.quantity, 0);

  readBack((db) => {
    const balance = balanceOf(db, overdraw.householdId);
    expect(balance).toBeGreaterThanOrEqual(0);
    expect(balance).toBe(1000 - pointsSold);
    // Demand is about six times the points, so hundreds of baskets of every size (3, 6, 9) were
    // still waiting when the points ran out: a wrong refusal would leave 9 or more unspent.
    expect(balance).toBeLessThan(3 * 3);
    const ledger = db
      .query<{ s: number }, [number]>(
        "SELECT SUM(points) AS s FROM entries WHERE household_id = ? AND status = 'posted'",
      )
      .get(overdraw.householdId)!.s;
    expect(ledger).toBe(balance);
    expect(stockOf(db, overdraw.goodsId)).toEqual({
      stock: 100_000 - unitsSold,
      sum: 100_000 - unitsSold,
    });
    const receipts = db
      .query<{ receipt_no: number }, [number]>(
        "SELECT receipt_no FROM redemptions WHERE household_id = ? ORDER BY receipt_no",
      )
      .all(overdraw.householdId)
      .map((r) => r.receipt_no);
    expect(receipts).toEqual(Array.from({ length: ok.length }, (_, i) => i + 1));
    expect(verifyLedger(db).ok).toBe(true);
  });
});

test("1,000 parallel buyers of the last unit from two processes: exactly one gets it, stock ends at zero", async () => {
  const sales = await Promise.all(
    Array.from({ length: REQUESTS }, (_, i) => sell(i, lastUnit, 1, `lu-${i}`)),
  );
  expect(sales.filter((s) => s.status === 201).length).toBe(1);
  expect(
    sales.filter((s) => s.status === 409 && s.body.type?.endsWith("/out-of-stock")).length,
  ).toBe(REQUESTS - 1);
  readBack((db) => {
    expect(stockOf(db, lastUnit.goodsId)).toEqual({ stock: 0, sum: 0 });
    expect(balanceOf(db, lastUnit.householdId)).toBe(100_000 - 1);
  });
});

test("the same basket and key sent 40 times at once to two processes charges once and answers the same receipt", async () => {
  // Each sender retries after a 409 (its key still being processed), as a kiosk does.
  const sendUntilAnswered = async (i: number): Promise<{ first: number; last: Sale }> => {
    let sale = await sell(i, sameKey, 2, "one-basket");
    const first = sale.status;
    while (sale.status === 409 && sale.body.type?.endsWith("/conflict")) {
      await Bun.sleep(5);
      sale = await sell(i, sameKey, 2, "one-basket");
    }
    return { first, last: sale };
  };
  const sales = await Promise.all(Array.from({ length: 40 }, (_, i) => sendUntilAnswered(i)));
  // At first every answer is the receipt or "still being processed"; in the end all are the receipt.
  expect(sales.every((s) => s.first === 201 || s.first === 409)).toBe(true);
  expect(sales.map((s) => s.last.status)).toEqual(Array(40).fill(201));
  expect(new Set(sales.map((s) => JSON.stringify(s.last.body))).size).toBe(1);
  readBack((db) => {
    expect(balanceOf(db, sameKey.householdId)).toBe(100 - 14);
    expect(stockOf(db, sameKey.goodsId)).toEqual({ stock: 98, sum: 98 });
    expect(
      db
        .query("SELECT COUNT(*) AS n FROM redemptions WHERE household_id = ?")
        .get(sameKey.householdId),
    ).toEqual({ n: 1 });
  });
});
