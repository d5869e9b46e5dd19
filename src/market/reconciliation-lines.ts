/**
 * The lines of a month-end statement (对账), one per good, from the stock ledger's movements. Pure:
 * movements in, lines out.
 *
 * Every movement of the month falls under exactly one column, by its kind: an intake under its
 * source (donation, government, village, other), a sale under `sold`, a void under `voided` (units
 * back on the shelf), a write-off under `writtenOff` and a stock count's difference (either sign)
 * under `countedDifference`. So for every line
 *   opening + in − sold + voided − writtenOff + countedDifference = closing,
 * and `closing` is also the opening plus the sum of the month's deltas: both are asserted.
 */
import { assert } from "../shared/assert.ts";
import { STOCK_SOURCES, type MovementKind, type StockSource } from "./goods-store.ts";

export type SourceUnits = Record<StockSource, number>;

export type StatementLine = {
  goodsId: string;
  name: string;
  opening: number;
  in: SourceUnits;
  donors: string[];
  sold: number;
  voided: number;
  writtenOff: number;
  countedDifference: number;
  closing: number;
};

export type LineTotals = Omit<StatementLine, "goodsId" | "name" | "donors">;

/** The month's movements of one good, summed by kind and source (what SQL's GROUP BY gives). */
export type MovementSum = { kind: MovementKind; source: StockSource | null; units: number };

export type GoodsMonth = {
  goodsId: number;
  name: string;
  opening: number;
  movements: readonly MovementSum[];
  donors: readonly string[];
};

function noUnits(): SourceUnits {
  return { donation: 0, government: 0, village: 0, other: 0 };
}

export function unitsIn(line: Pick<StatementLine, "in">): number {
  return STOCK_SOURCES.reduce((sum, s) => sum + line.in[s], 0);
}

/** The statement's identity for one line; true when it holds. */
export function balances(line: Omit<LineTotals, "closing"> & { closing: number }): boolean {
  return (
    line.opening +
      unitsIn(line) -
      line.sold +
      line.voided -
      line.writtenOff +
      line.countedDifference ===
    line.closing
  );
}

export function statementLine(goods: GoodsMonth): StatementLine {
  const line: StatementLine = {
    goodsId: String(goods.goodsId),
    name: goods.name,
    opening: goods.opening,
    in: noUnits(),
    donors: [...goods.donors].sort(),
    sold: 0,
    voided: 0,
    writtenOff: 0,
    countedDifference: 0,
    closing: 0,
  };
  let delta = 0;
  for (const m of goods.movements) {
    delta += m.units;
    if (m.kind === "intake") {
      assert(m.units > 0 && m.source !== null, "an intake adds units and names its source");
      line.in[m.source] += m.units;
    } else if (m.kind === "sale") {
      assert(m.units < 0, "a sale takes units");
      line.sold += -m.units;
    } else if (m.kind === "void") {
      assert(m.units > 0, "a void puts units back");
      line.voided += m.units;
    } else if (m.kind === "write_off") {
      assert(m.units < 0, "a write-off takes units");
      line.writtenOff += -m.units;
    } else {
      assert(m.kind === "count", `a movement of kind ${String(m.kind)} is one the statement knows`);
      line.countedDifference += m.units;
    }
  }
  line.closing = goods.opening + delta;
  assert(balances(line), `the statement's line of goods ${goods.goodsId} balances`);
  assert(
    line.opening >= 0 && line.closing >= 0,
    `the stock of goods ${goods.goodsId} is never below zero`,
  );
  return line;
}

export function totalsOf(lines: readonly StatementLine[]): LineTotals {
  const totals: LineTotals = {
    opening: 0,
    in: noUnits(),
    sold: 0,
    voided: 0,
    writtenOff: 0,
    countedDifference: 0,
    closing: 0,
  };
  for (const l of lines) {
    totals.opening += l.opening;
    for (const s of STOCK_SOURCES) totals.in[s] += l.in[s];
    totals.sold += l.sold;
    totals.voided += l.voided;
    totals.writtenOff += l.writtenOff;
    totals.countedDifference += l.countedDifference;
    totals.closing += l.closing;
  }
  assert(balances(totals), "the statement's totals balance");
  return totals;
}
