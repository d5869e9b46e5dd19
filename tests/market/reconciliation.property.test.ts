/**
 * Proves with fast-check that for ANY few months of intakes (from every source, donations with
 * their donors), write-offs, stock counts, sales and voids, made through the exported use cases on
 * a real SQLite database as the days go by, every month's statement (对账) holds: each line and the
 * totals balance (opening + in − sold + voided − writtenOff + countedDifference = closing), each
 * good's closing is what a plain model of the shelf held at the month's end and the next month
 * opens with it, every column equals the model's sum for the month, and the points redeemed, sales
 * and voids are the month's.
 */
import { expect, test } from "bun:test";
import fc from "fast-check";
import { immediate, openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { systemAudit } from "../../src/audit/audit.ts";
import { insertVillage } from "../../src/villages/village-store.ts";
import { insertHousehold } from "../../src/villages/household-store.ts";
import { insertCard } from "../../src/villages/card-store.ts";
import { adjustStock, countStock, createGoods } from "../../src/market/goods.ts";
import { redeem, voidRedemption } from "../../src/market/redeem.ts";
import { STOCK_SOURCES, type StockSource } from "../../src/market/goods-store.ts";
import { marketStatement } from "../../src/market/reconciliation.ts";
import { unitsIn } from "../../src/market/reconciliation-lines.ts";
import { monthsBetween, shanghaiDay } from "../../src/shared/calendar.ts";
import { HOUR_MS } from "../../src/shared/clock.ts";
import { T0_MS } from "../support/harness.ts";
import { awardPoints } from "../support/market-fixture.ts";

const GOODS = 3;
const PRICE = 3;
const DONORS = ["县供销社", "爱心企业", "王老板"];

type Op =
  | { kind: "intake"; g: number; n: number; source: StockSource; donor: number }
  | { kind: "writeOff"; g: number; n: number }
  | { kind: "count"; g: number; counted: number }
  | { kind: "sale"; g: number; q: number }
  | { kind: "void"; pick: number };

const g = fc.integer({ min: 0, max: GOODS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("intake" as const),
    g,
    n: fc.integer({ min: 1, max: 20 }),
    source: fc.constantFrom(...STOCK_SOURCES),
    donor: fc.integer({ min: 0, max: DONORS.length - 1 }),
  }),
  fc.record({ kind: fc.constant("writeOff" as const), g, n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant("count" as const), g, counted: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ kind: fc.constant("sale" as const), g, q: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant("void" as const), pick: fc.nat() }),
);
/** How far the clock moves before each operation: up to about three weeks. */
const step = fc.integer({ min: 0, max: 500 });

type Column = {
  in: Record<StockSource, number>;
  donors: Set<string>;
  sold: number;
  voided: number;
  writtenOff: number;
  counted: number;
};
type MonthModel = {
  columns: Column[];
  closing: number[];
  points: number;
  sales: number;
  voids: number;
};

test("every month's statement balances and agrees with a model of the shelf, for any months of movements", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(step, op), { maxLength: 60 }), (steps) => {
      const db = openDatabase(":memory:");
      migrate(db, T0_MS);
      try {
        const { villageId, cardToken } = immediate(db, () => {
          const village = insertVillage(db, { name: "测试村", code: "T", nowMs: T0_MS });
          const householdId = insertHousehold(
            db,
            village.id,
            { headName: "赵六", address: "", externalId: null, members: [] },
            T0_MS,
          );
          awardPoints(db, householdId, 100_000, T0_MS);
          return {
            villageId: village.id,
            cardToken: insertCard(db, householdId, village.id, T0_MS).token,
          };
        });
        const goodsIds = Array.from({ length: GOODS }, (_, i) =>
          Number(
            createGoods(db, systemAudit(T0_MS), {
              villageId,
              name: `g${i}`,
              pricePoints: PRICE,
              createdBy: "system",
            }).id,
          ),
        );
        const stock = Array.from({ length: GOODS }, () => 0);
        const months = new Map<string, MonthModel>();
        const monthOf = (nowMs: number): MonthModel => {
          const month = shanghaiDay(nowMs).slice(0, 7);
          let m = months.get(month);
          if (m === undefined) {
            const columns = Array.from({ length: GOODS }, () => ({
              in: { donation: 0, government: 0, village: 0, other: 0 },
              donors: new Set<string>(),
              sold: 0,
              voided: 0,
              writtenOff: 0,
              counted: 0,
            }));
            months.set(
              month,
              (m = { columns, closing: [...stock], points: 0, sales: 0, voids: 0 }),
            );
          }
          return m;
        };
        const sales: { id: number; g: number; q: number; voided: boolean }[] = [];
        let nowMs = T0_MS;
        monthOf(nowMs);
        for (const [hours, o] of steps) {
          nowMs += hours * HOUR_MS;
          const audit = systemAudit(nowMs);
          const m = monthOf(nowMs);
          if (o.kind === "intake") {
            const donor = o.source === "donation" ? DONORS[o.donor]! : null;
            expect(
              adjustStock(db, audit, {
                goodsId: goodsIds[o.g]!,
                delta: o.n,
                reason: null,
                source: o.source,
                donor,
                createdBy: "system",
              }).ok,
            ).toBe(true);
            stock[o.g]! += o.n;
            m.columns[o.g]!.in[o.source] += o.n;
            if (donor !== null) m.columns[o.g]!.donors.add(donor);
          } else if (o.kind === "writeOff") {
            const result = adjustStock(db, audit, {
              goodsId: goodsIds[o.g]!,
              delta: -o.n,
              reason: "破损",
              createdBy: "system",
            });
            expect(result.ok).toBe(stock[o.g]! >= o.n);
            if (result.ok) ((stock[o.g]! -= o.n), (m.columns[o.g]!.writtenOff += o.n));
          } else if (o.kind === "count") {
            expect(
              countStock(db, audit, {
                goodsId: goodsIds[o.g]!,
                counted: o.counted,
                reason: "盘点",
                createdBy: "system",
              }).ok,
            ).toBe(true);
            m.columns[o.g]!.counted += o.counted - stock[o.g]!;
            stock[o.g] = o.counted;
          } else if (o.kind === "sale") {
            const result = redeem(db, audit, {
              cardCode: cardToken,
              items: [{ goodsId: goodsIds[o.g]!, quantity: o.q }],
              sellerVillageId: villageId,
              createdBy: "kiosk:0",
              kioskId: null,
              idempotency: null,
            });
            expect(result.ok).toBe(stock[o.g]! >= o.q);
            if (result.ok) {
              stock[o.g]! -= o.q;
              m.columns[o.g]!.sold += o.q;
              m.points += PRICE * o.q;
              m.sales++;
              sales.push({ id: Number(result.value.receipt.id), g: o.g, q: o.q, voided: false });
            }
          } else {
            const sale = sales.filter((s) => !s.voided)[o.pick % Math.max(1, sales.length)];
            if (sale === undefined) continue;
            expect(
              voidRedemption(db, audit, {
                redemptionId: sale.id,
                reason: "退货",
                voidedBy: "user:1",
              }).ok,
            ).toBe(true);
            sale.voided = true;
            stock[sale.g]! += sale.q;
            m.columns[sale.g]!.voided += sale.q;
            m.points -= PRICE * sale.q;
            m.voids++;
          }
          m.closing = [...stock];
        }
        // Every month from the first to the last, the quiet ones too.
        const all = monthsBetween(shanghaiDay(T0_MS), shanghaiDay(nowMs));
        let opening = Array.from({ length: GOODS }, () => 0);
        for (const month of all) {
          const model = months.get(month) ?? {
            columns: null,
            closing: opening,
            points: 0,
            sales: 0,
            voids: 0,
          };
          const statement = marketStatement(db, villageId, month, nowMs + 40 * 24 * HOUR_MS);
          expect(statement.frozen).toBe(false);
          for (const line of statement.lines) {
            expect(
              line.opening +
                unitsIn(line) -
                line.sold +
                line.voided -
                line.writtenOff +
                line.countedDifference,
            ).toBe(line.closing);
          }
          for (let i = 0; i < GOODS; i++) {
            const line = statement.lines.find((l) => l.goodsId === String(goodsIds[i]));
            const column = model.columns?.[i];
            const moved =
              column !== undefined &&
              (unitsIn(column) > 0 ||
                column.sold > 0 ||
                column.voided > 0 ||
                column.writtenOff > 0 ||
                column.counted !== 0);
            if (line === undefined) {
              // A good is left out only when it had nothing at the start and moved net nothing shown.
              expect(opening[i]).toBe(0);
              expect(model.closing[i]).toBe(0);
              continue;
            }
            expect(line.opening).toBe(opening[i]!);
            expect(line.closing).toBe(model.closing[i]!);
            if (column !== undefined) {
              expect(line.in).toEqual(column.in);
              expect(line.donors).toEqual([...column.donors].sort());
              expect([line.sold, line.voided, line.writtenOff, line.countedDifference]).toEqual([
                column.sold,
                column.voided,
                column.writtenOff,
                column.counted,
              ]);
            } else {
              expect(moved).toBe(false);
              expect(line.closing).toBe(line.opening);
            }
          }
          const t = statement.totals;
          expect(
            t.opening + unitsIn(t) - t.sold + t.voided - t.writtenOff + t.countedDifference,
          ).toBe(t.closing);
          expect(t.closing).toBe(statement.lines.reduce((s, l) => s + l.closing, 0));
          expect([statement.pointsRedeemed, statement.sales, statement.voids]).toEqual([
            model.points,
            model.sales,
            model.voids,
          ]);
          opening = [...model.closing];
        }
      } finally {
        db.close();
      }
    }),
    { numRuns: 120 },
  );
});
