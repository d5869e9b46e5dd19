/**
 * The supermarket's accounts by month, for the public board (村务公开) and the reports: goods in,
 * goods out, points redeemed. Read-only. Months are Beijing-time calendar months; a void counts in
 * the month it was made, so a closed month's figures never change afterwards.
 */
import type { Database } from "bun:sqlite";
import { monthsBetween } from "../shared/calendar.ts";
import { mostVillages } from "../villages/village-store.ts";

export type MonthAccounts = {
  month: string;
  /** Units taken in, and units a stock count found. */
  goodsInUnits: number;
  /** Units sold at the till, less units that came back by a void. */
  goodsOutUnits: number;
  soldUnits: number;
  voidedUnits: number;
  /** Units written off, and units a stock count found missing. */
  writtenOffUnits: number;
  redemptions: number;
  /** Points of the month's sales, and points given back by the month's voids. */
  pointsRedeemed: number;
  pointsVoided: number;
  netPointsRedeemed: number;
};

export type MarketAccounts = {
  villageId: string;
  from: string;
  to: string;
  months: MonthAccounts[];
  totals: Omit<MonthAccounts, "month">;
};

function emptyMonth(month: string): MonthAccounts {
  return {
    month,
    goodsInUnits: 0,
    goodsOutUnits: 0,
    soldUnits: 0,
    voidedUnits: 0,
    writtenOffUnits: 0,
    redemptions: 0,
    pointsRedeemed: 0,
    pointsVoided: 0,
    netPointsRedeemed: 0,
  };
}

export function marketAccounts(
  db: Database,
  villageId: number,
  fromDay: string,
  toDay: string,
): MarketAccounts {
  const byMonth = new Map(monthsBetween(fromDay, toDay).map((m) => [m, emptyMonth(m)]));
  // A stock count moves stock either way: units found count as goods in, units lost as written off.
  const units = db
    .query<{ month: string; kind: string; up: number; units: number }, [number, string, string]>(
      `SELECT substr(occurred_on, 1, 7) AS month, kind, delta > 0 AS up, SUM(delta) AS units FROM stock_movements
       WHERE village_id = ? AND occurred_on BETWEEN ? AND ? GROUP BY month, kind, up`,
    )
    .all(villageId, fromDay, toDay);
  for (const row of units) {
    const m = byMonth.get(row.month);
    if (m === undefined) continue;
    if (row.kind === "intake" || (row.kind === "count" && row.up === 1))
      m.goodsInUnits += row.units;
    else if (row.kind === "write_off" || row.kind === "count") m.writtenOffUnits += -row.units;
    else if (row.kind === "sale") m.soldUnits += -row.units;
    else if (row.kind === "void") m.voidedUnits += row.units;
  }
  // Each sale posts one ledger entry of kind 'redemption' on the sale's day for minus its total,
  // and a posted entry never changes: the sales of a period are counted on the ledger's covering
  // report index (migrations/0011), not on an index of their own written with every sale.
  const sales = db
    .query<{ month: string; n: number; points: number }, [string, string, number]>(
      `SELECT substr(occurred_on, 1, 7) AS month, COUNT(*) AS n, -SUM(points) AS points FROM entries INDEXED BY entries_report
       WHERE status = 'posted' AND occurred_on BETWEEN ? AND ? AND village_id = ? AND kind = 'redemption' GROUP BY month`,
    )
    .all(fromDay, toDay, villageId);
  for (const row of sales) {
    const m = byMonth.get(row.month);
    if (m === undefined) continue;
    m.redemptions += row.n;
    m.pointsRedeemed += row.points;
  }
  const voids = db
    .query<{ month: string; points: number }, [number, string, string]>(
      `SELECT substr(voided_on, 1, 7) AS month, SUM(total_points) AS points FROM redemptions
       WHERE village_id = ? AND voided_on IS NOT NULL AND voided_on BETWEEN ? AND ? GROUP BY month`,
    )
    .all(villageId, fromDay, toDay);
  for (const row of voids) {
    const m = byMonth.get(row.month);
    if (m !== undefined) m.pointsVoided += row.points;
  }
  const months = [...byMonth.values()];
  const totals = emptyMonth("");
  for (const m of months) {
    m.goodsOutUnits = m.soldUnits - m.voidedUnits;
    m.netPointsRedeemed = m.pointsRedeemed - m.pointsVoided;
    for (const key of Object.keys(totals) as (keyof MonthAccounts)[]) {
      if (key !== "month") totals[key] += m[key];
    }
  }
  const { month: _month, ...totalsOut } = totals;
  return { villageId: String(villageId), from: fromDay, to: toDay, months, totals: totalsOut };
}

/**
 * Goods redeemed in the villages between two days (inclusive, Beijing days), one line a good, most
 * points first. Voided sales are left out: their points came back, as the ledger's reversal says.
 * The name is the one the good was last sold under: its newest sale is found on the stock
 * movements' index by good (every sold line moves stock), and that sale's line read by its key.
 * redemption_lines has no index by good, so looking there would read every line ever sold once
 * per good listed: 10 s for a county's month over 250,000 lines, minutes over millions
 * (tests/bench/county.bench.ts). A line with no sale movement falls back to that slow look.
 */
export function goodsRedeemedLines(
  db: Database,
  villageIds: readonly number[],
  fromDay: string,
  toDay: string,
  /** Which read: chosen by how many of the villages are asked for; tests ask for each. */
  read: "auto" | "by-village" | "by-range" = "auto",
): { goodsId: number; name: string; quantity: number; points: number }[] {
  if (villageIds.length === 0) return [];
  const inList = villageIds.map(() => "?").join(",");
  const name = `coalesce(
      (SELECT l2.name FROM redemption_lines l2
       WHERE l2.redemption_id = (SELECT m.redemption_id FROM stock_movements m WHERE m.goods_id = l.goods_id AND m.kind = 'sale' ORDER BY m.id DESC LIMIT 1)
         AND l2.goods_id = l.goods_id LIMIT 1),
      (SELECT l2.name FROM redemption_lines l2 WHERE l2.goods_id = l.goods_id ORDER BY l2.redemption_id DESC LIMIT 1)
    ) AS name`;
  type Line = { goodsId: number; name: string; quantity: number; points: number };
  if (read === "by-village" || (read === "auto" && !mostVillages(db, villageIds.length))) {
    // A few villages: their sales by the village-and-day index.
    return db
      .query<Line, (number | string)[]>(
        `SELECT l.goods_id AS goodsId, ${name}, SUM(l.quantity) AS quantity, SUM(l.points) AS points
         FROM redemptions r JOIN redemption_lines l ON l.redemption_id = r.id
         WHERE r.village_id IN (${inList}) AND r.occurred_on BETWEEN ? AND ? AND r.voided_at_ms IS NULL
         GROUP BY l.goods_id ORDER BY points DESC, l.goods_id`,
      )
      .all(...villageIds, fromDay, toDay);
  }
  // Most of the villages (a township's, a county's): the period's sales lie between the first and
  // the last of their ids, so their lines are read in one pass in key order, the sales by their
  // key beside them. Village by village through the index visited the same pages once per village:
  // 1.5 s for a county's month against 0.13 s (tests/bench/RESULTS.md). Every condition is applied
  // again to each sale, so the range only decides what is read, never what counts.
  const range = db
    .query<{ first: number | null; last: number | null }, (number | string)[]>(
      `SELECT min(id) AS first, max(id) AS last FROM redemptions
       WHERE occurred_on BETWEEN ? AND ? AND village_id IN (${inList})`,
    )
    .get(fromDay, toDay, ...villageIds)!;
  // No sale in the period: BETWEEN NULL AND NULL holds for no line.
  return db
    .query<Line, (number | string | null)[]>(
      `SELECT l.goods_id AS goodsId, ${name}, SUM(l.quantity) AS quantity, SUM(l.points) AS points
       FROM redemption_lines l JOIN redemptions r NOT INDEXED ON r.id = l.redemption_id
       WHERE l.redemption_id BETWEEN ? AND ?
         AND r.village_id IN (${inList}) AND r.occurred_on BETWEEN ? AND ? AND r.voided_at_ms IS NULL
       GROUP BY l.goods_id ORDER BY points DESC, l.goods_id`,
    )
    .all(range.first, range.last, ...villageIds, fromDay, toDay);
}
