/**
 * Proves with fast-check that for ANY sequence of intakes, write-offs, sales and voids (through the
 * exported use cases, on a real SQLite database): each good's stored stock equals the sum of its
 * movements and never goes below zero, the balance never goes below zero, points are conserved
 * (balance + points redeemed − points voided back = starting balance), the ledger's chain verifies,
 * and every use case accepts or refuses exactly as a plain in-memory model of the shop says.
 */
import { expect, test } from "bun:test";
import fc from "fast-check";
import type { Database } from "bun:sqlite";
import { immediate, openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { systemAudit } from "../../src/audit/audit.ts";
import { insertVillage } from "../../src/villages/village-store.ts";
import { insertHousehold } from "../../src/villages/household-store.ts";
import { insertCard } from "../../src/villages/card-store.ts";
import { adjustStock, createGoods } from "../../src/market/goods.ts";
import { redeem, voidRedemption } from "../../src/market/redeem.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";
import { T0_MS } from "../support/harness.ts";
import { awardPoints, balanceOf, stockOf } from "../support/market-fixture.ts";

const GOODS = 3;
type Op =
  | { kind: "intake"; g: number; n: number }
  | { kind: "writeOff"; g: number; n: number }
  | { kind: "sale"; lines: { g: number; q: number }[] }
  | { kind: "void"; pick: number };

const goodsIndex = fc.integer({ min: 0, max: GOODS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("intake" as const),
    g: goodsIndex,
    n: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({
    kind: fc.constant("writeOff" as const),
    g: goodsIndex,
    n: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({
    kind: fc.constant("sale" as const),
    lines: fc.uniqueArray(fc.record({ g: goodsIndex, q: fc.integer({ min: 1, max: 5 }) }), {
      minLength: 1,
      maxLength: GOODS,
      selector: (l) => l.g,
    }),
  }),
  fc.record({ kind: fc.constant("void" as const), pick: fc.nat() }),
);

function world(startBalance: number, prices: number[], stocks: number[]) {
  const db = openDatabase(":memory:");
  migrate(db, T0_MS);
  const { villageId, householdId, cardToken } = immediate(db, () => {
    const village = insertVillage(db, { name: "测试村", code: "T", nowMs: T0_MS });
    const householdId = insertHousehold(
      db,
      village.id,
      { headName: "赵六", address: "", externalId: null, members: [] },
      T0_MS,
    );
    return {
      villageId: village.id,
      householdId,
      cardToken: insertCard(db, householdId, village.id, T0_MS).token,
    };
  });
  if (startBalance > 0) awardPoints(db, householdId, startBalance, T0_MS);
  const goodsIds = prices.map((p, i) =>
    Number(
      createGoods(db, systemAudit(T0_MS), {
        villageId,
        name: `g${i}`,
        pricePoints: p,
        stock: stocks[i]!,
        createdBy: "system",
      }).id,
    ),
  );
  return { db, villageId, householdId, cardToken, goodsIds };
}

function checkInvariants(
  db: Database,
  householdId: number,
  goodsIds: number[],
  startBalance: number,
): void {
  for (const id of goodsIds) {
    const { stock, sum } = stockOf(db, id);
    expect(stock).toBe(sum);
    expect(stock).toBeGreaterThanOrEqual(0);
  }
  const balance = balanceOf(db, householdId);
  expect(balance).toBeGreaterThanOrEqual(0);
  const redeemed = db
    .query<{ s: number }, []>("SELECT COALESCE(SUM(total_points), 0) AS s FROM redemptions")
    .get()!.s;
  const voidedBack = db
    .query<{ s: number }, []>(
      "SELECT COALESCE(SUM(total_points), 0) AS s FROM redemptions WHERE voided_at_ms IS NOT NULL",
    )
    .get()!.s;
  expect(balance + redeemed - voidedBack).toBe(startBalance);
}

test("any sequence of intakes, write-offs, sales and voids keeps stock = sum of movements ≥ 0 and conserves points", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 300 }),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: GOODS, maxLength: GOODS }),
      fc.array(fc.integer({ min: 0, max: 10 }), { minLength: GOODS, maxLength: GOODS }),
      fc.array(op, { maxLength: 40 }),
      (startBalance, prices, stocks, ops) => {
        const { db, villageId, householdId, cardToken, goodsIds } = world(
          startBalance,
          prices,
          stocks,
        );
        const model = {
          balance: startBalance,
          stocks: [...stocks],
          sales: [] as {
            id: number;
            total: number;
            lines: { g: number; q: number }[];
            voided: boolean;
          }[],
        };
        let nowMs = T0_MS;
        try {
          for (const o of ops) {
            nowMs += 1000;
            const audit = systemAudit(nowMs);
            if (o.kind === "intake" || o.kind === "writeOff") {
              const delta = o.kind === "intake" ? o.n : -o.n;
              const result = adjustStock(db, audit, {
                goodsId: goodsIds[o.g]!,
                delta,
                reason: "prop",
                createdBy: "system",
              });
              const expected = model.stocks[o.g]! + delta >= 0;
              expect(result.ok).toBe(expected);
              if (expected) model.stocks[o.g]! += delta;
            } else if (o.kind === "sale") {
              const total = o.lines.reduce((s, l) => s + prices[l.g]! * l.q, 0);
              const expected =
                total <= model.balance && o.lines.every((l) => model.stocks[l.g]! >= l.q);
              const result = redeem(db, audit, {
                cardCode: cardToken,
                items: o.lines.map((l) => ({ goodsId: goodsIds[l.g]!, quantity: l.q })),
                sellerVillageId: villageId,
                createdBy: "kiosk:0",
                kioskId: null,
                idempotency: null,
              });
              expect(result.ok).toBe(expected);
              if (result.ok) {
                model.balance -= total;
                for (const l of o.lines) model.stocks[l.g]! -= l.q;
                model.sales.push({
                  id: Number(result.value.receipt.id),
                  total,
                  lines: o.lines,
                  voided: false,
                });
              }
            } else {
              const sale =
                model.sales.length === 0 ? undefined : model.sales[o.pick % model.sales.length];
              const result = voidRedemption(db, audit, {
                redemptionId: sale?.id ?? 999_999,
                reason: "prop",
                voidedBy: "user:1",
              });
              expect(result.ok).toBe(sale !== undefined && !sale.voided);
              if (result.ok && sale) {
                sale.voided = true;
                model.balance += sale.total;
                for (const l of sale.lines) model.stocks[l.g]! += l.q;
              }
            }
            checkInvariants(db, householdId, goodsIds, startBalance);
          }
          expect(balanceOf(db, householdId)).toBe(model.balance);
          expect(goodsIds.map((id) => stockOf(db, id).stock)).toEqual(model.stocks);
          expect(verifyLedger(db).ok).toBe(true);
        } finally {
          db.close();
        }
      },
    ),
    { numRuns: 150 },
  );
});
