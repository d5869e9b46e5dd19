/**
 * The supermarket's accounts by month, for the public board (村务公开) and the reports: goods in,
 * goods out, points redeemed. Read-only. Months are Beijing-time calendar months; a void counts in
 * the month it was made, so a closed month's figures never change afterwards.
 */
import { statement } from "./statements.ts";
import type { Database } from "bun:sqlite";
import { monthsBetween } from "./days.ts";

export type MonthAccounts = {
  month: string;
  /** Units taken in. */
  goodsInUnits: number;
  /** Units sold at the till, less units that came back by a void. */
  goodsOutUnits: number;
  soldUnits: number;
  voidedUnits: number;
  writtenOffUnits: number;
  redemptions: number;
  /** Points of the month's sales, and points given back by the month's voids. */
  pointsRedeemed: number;
  pointsVoided: number;
  netPointsRedeemed: number;
};

export type MarketAccounts = { villageId: string; from: string; to: string; months: MonthAccounts[]; totals: Omit<MonthAccounts, "month"> };

function emptyMonth(month: string): MonthAccounts {
  return { month, goodsInUnits: 0, goodsOutUnits: 0, soldUnits: 0, voidedUnits: 0, writtenOffUnits: 0, redemptions: 0, pointsRedeemed: 0, pointsVoided: 0, netPointsRedeemed: 0 };
}

export function marketAccounts(db: Database, villageId: number, fromDay: string, toDay: string): MarketAccounts {
  const byMonth = new Map(monthsBetween(fromDay, toDay).map((m) => [m, emptyMonth(m)]));
  const units = statement<{ month: string; kind: string; units: number }, [number, string, string]>(db, 
      `SELECT substr(occurred_on, 1, 7) AS month, kind, SUM(delta) AS units FROM stock_movements
       WHERE village_id = ? AND occurred_on BETWEEN ? AND ? GROUP BY month, kind`,
    )
    .all(villageId, fromDay, toDay);
  for (const row of units) {
    const m = byMonth.get(row.month);
    if (m === undefined) continue;
    if (row.kind === "intake") m.goodsInUnits += row.units;
    else if (row.kind === "write_off") m.writtenOffUnits += -row.units;
    else if (row.kind === "sale") m.soldUnits += -row.units;
    else if (row.kind === "void") m.voidedUnits += row.units;
  }
  const sales = statement<{ month: string; n: number; points: number }, [number, string, string]>(db, 
      `SELECT substr(occurred_on, 1, 7) AS month, COUNT(*) AS n, SUM(total_points) AS points FROM redemptions
       WHERE village_id = ? AND occurred_on BETWEEN ? AND ? GROUP BY month`,
    )
    .all(villageId, fromDay, toDay);
  for (const row of sales) {
    const m = byMonth.get(row.month);
    if (m === undefined) continue;
    m.redemptions += row.n;
    m.pointsRedeemed += row.points;
  }
  const voids = statement<{ month: string; points: number }, [number, string, string]>(db, 
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
