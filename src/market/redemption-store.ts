/** SQL for redemptions and their lines. Never opens a transaction: the use case holds one. */
import { assert } from "../shared/assert.ts";
import type { Database } from "bun:sqlite";
import { maskName } from "../villages/names.ts";

export type RedemptionRow = {
  id: number;
  village_id: number;
  household_id: number;
  card_id: number;
  receipt_no: number;
  total_points: number;
  balance_after: number;
  entry_id: number | null;
  kiosk_id: number | null;
  created_by: string;
  created_at_ms: number;
  occurred_on: string;
  voided_at_ms: number | null;
  voided_on: string | null;
  voided_by: string | null;
  void_reason: string | null;
  void_entry_id: number | null;
};

export type LineRow = {
  redemption_id: number;
  line_no: number;
  goods_id: number;
  name: string;
  price_points: number;
  quantity: number;
  points: number;
};

export type ReceiptLine = {
  goodsId: string;
  name: string;
  quantity: number;
  pricePoints: number;
  points: number;
};

export type Receipt = {
  id: string;
  receiptNo: number;
  villageId: string;
  villageName: string;
  householdId: string;
  /** Masked (张*华): the receipt is printed and may be left on the counter. */
  householdName: string;
  totalPoints: number;
  balanceAfter: number;
  items: ReceiptLine[];
  createdAt: string;
  createdBy: string;
  voided: boolean;
  voidedAt: string | null;
  voidReason: string | null;
  /** Only on a home delivery (送货上门): who carried it and when, once confirmed. */
  delivery?: { deliveredBy: string | null; deliveredAt: string | null };
};

export function findRedemption(db: Database, id: number): RedemptionRow | null {
  return db.query<RedemptionRow, [number]>("SELECT * FROM redemptions WHERE id = ?").get(id);
}

export function villageOfRedemption(db: Database, id: number): number | null {
  return (
    db
      .query<{ village_id: number }, [number]>("SELECT village_id FROM redemptions WHERE id = ?")
      .get(id)?.village_id ?? null
  );
}

/**
 * Takes the next receipt number of a village (migrations/0008): `lastReceiptNo` is the village's
 * counter as read in this same IMMEDIATE transaction, which must also insert the redemption, so
 * nobody else can move it in between and a rollback gives the number back. A plain UPDATE: with
 * RETURNING the statement cost three times as much (instrumented: 3.9 against 1.3 µs).
 */
export function takeReceiptNo(db: Database, villageId: number, lastReceiptNo: number): number {
  const receiptNo = lastReceiptNo + 1;
  const changed = db
    .query<never, [number, number, number]>(
      "UPDATE villages SET last_receipt_no = ? WHERE id = ? AND last_receipt_no = ?",
    )
    .run(receiptNo, villageId, lastReceiptNo).changes;
  assert(changed === 1, `village ${villageId}'s receipt counter was still ${lastReceiptNo}`);
  return receiptNo;
}

/** Points a household redeemed on one day, voided sales excluded (their points came back). */
export function pointsRedeemedOnDay(db: Database, householdId: number, day: string): number {
  return db
    .query<{ total: number }, [number, string]>(
      "SELECT COALESCE(SUM(total_points), 0) AS total FROM redemptions WHERE household_id = ? AND occurred_on = ? AND voided_at_ms IS NULL",
    )
    .get(householdId, day)!.total;
}

export function linesOf(db: Database, redemptionId: number): LineRow[] {
  return db
    .query<LineRow, [number]>(
      "SELECT * FROM redemption_lines WHERE redemption_id = ? ORDER BY line_no",
    )
    .all(redemptionId);
}

export function receiptOf(db: Database, row: RedemptionRow, lines: LineRow[]): Receipt {
  const names = db
    .query<{ head_name: string; village_name: string }, [number, number]>(
      "SELECT (SELECT head_name FROM households WHERE id = ?) AS head_name, (SELECT name FROM villages WHERE id = ?) AS village_name",
    )
    .get(row.household_id, row.village_id)!;
  const receipt = receiptFrom(row, lines, names);
  const delivery = db
    .query<{ delivered_by: string | null; delivered_at_ms: number | null }, [number]>(
      "SELECT delivered_by, delivered_at_ms FROM deliveries WHERE redemption_id = ?",
    )
    .get(row.id);
  return delivery === null
    ? receipt
    : {
        ...receipt,
        delivery: {
          deliveredBy: delivery.delivered_by,
          deliveredAt:
            delivery.delivered_at_ms === null
              ? null
              : new Date(delivery.delivered_at_ms).toISOString(),
        },
      };
}

/**
 * The one place a receipt is shaped: from a stored redemption (receiptOf) or, in the sale itself,
 * from the values it has just written, without reading them back.
 */
export function receiptFrom(
  row: Omit<
    RedemptionRow,
    | "card_id"
    | "entry_id"
    | "kiosk_id"
    | "occurred_on"
    | "voided_on"
    | "voided_by"
    | "void_entry_id"
  >,
  lines: readonly Omit<LineRow, "redemption_id" | "line_no">[],
  names: { head_name: string; village_name: string },
): Receipt {
  return {
    id: String(row.id),
    receiptNo: row.receipt_no,
    villageId: String(row.village_id),
    villageName: names.village_name,
    householdId: String(row.household_id),
    householdName: maskName(names.head_name),
    totalPoints: row.total_points,
    balanceAfter: row.balance_after,
    items: lines.map((l) => ({
      goodsId: String(l.goods_id),
      name: l.name,
      quantity: l.quantity,
      pricePoints: l.price_points,
      points: l.points,
    })),
    createdAt: new Date(row.created_at_ms).toISOString(),
    createdBy: row.created_by,
    voided: row.voided_at_ms !== null,
    voidedAt: row.voided_at_ms === null ? null : new Date(row.voided_at_ms).toISOString(),
    voidReason: row.void_reason,
  };
}

export function loadReceipt(db: Database, id: number): Receipt | null {
  const row = findRedemption(db, id);
  return row === null ? null : receiptOf(db, row, linesOf(db, id));
}

/** How far back, in a village's receipts, "this device's recent sales" look. */
export const RECENT_SALES_RECEIPTS = 5000;

/**
 * Newest first, ids below `beforeId` (0 = from the newest): a village's sales, or one seller's
 * among the village's last RECENT_SALES_RECEIPTS (for reprint and "void the last sale").
 * Both read backwards along UNIQUE (village_id, receipt_no) (migrations/0009 and 0011): in a
 * village, receipt numbers grow with ids.
 */
export function listRedemptions(
  db: Database,
  where: { villageId: number } | { villageId: number; createdBy: string },
  beforeId: number,
  limit: number,
): Receipt[] {
  const cap = beforeId > 0 ? beforeId : Number.MAX_SAFE_INTEGER;
  const rows =
    "createdBy" in where
      ? db
          .query<RedemptionRow, [number, string, number, number]>(
            `SELECT * FROM redemptions WHERE village_id = ?1 AND created_by = ?2 AND id < ?3
             AND receipt_no > (SELECT last_receipt_no FROM villages WHERE id = ?1) - ${RECENT_SALES_RECEIPTS}
           ORDER BY receipt_no DESC LIMIT ?4`,
          )
          .all(where.villageId, where.createdBy, cap, limit)
      : db
          .query<RedemptionRow, [number, number, number]>(
            "SELECT * FROM redemptions WHERE village_id = ?1 AND receipt_no < coalesce((SELECT receipt_no FROM redemptions WHERE id = ?2 AND village_id = ?1), 9007199254740991) ORDER BY receipt_no DESC LIMIT ?3",
          )
          .all(where.villageId, cap, limit);
  return rows.map((r) => receiptOf(db, r, linesOf(db, r.id)));
}

/** What the staff's sales list filters on; every filter is a column of one index (migrations/0013). */
export type SaleFilter = {
  villageId: number;
  /** Days of the sale (occurred_on, Asia/Shanghai), both included. */
  from?: string | undefined;
  to?: string | undefined;
  kioskId?: number | undefined;
  householdId?: number | undefined;
  receiptNo?: number | undefined;
  voided?: boolean | undefined;
};

/** Where a page of sales starts: below this (day, id), newest first. */
export type SaleCursor = { day: string; id: number };

/**
 * Which index a sales list reads, the most selective filter first: one receipt by its number, a
 * household's sales, a kiosk's, the few voided ones, else the village's by day. The other filters
 * are checked on the rows the index yields. Named with INDEXED BY, so the plan cannot drift (the
 * query-plan test reads each).
 */
function salesIndex(f: SaleFilter): {
  index: string | null;
  where: string;
  params: (string | number)[];
} {
  // UNIQUE (village_id, receipt_no): SQLite always takes a unique index for an equality on all its columns.
  if (f.receiptNo !== undefined)
    return {
      index: null,
      where: "village_id = ? AND receipt_no = ?",
      params: [f.villageId, f.receiptNo],
    };
  if (f.householdId !== undefined)
    return {
      index: "redemptions_household_day",
      where: "household_id = ? AND village_id = ?",
      params: [f.householdId, f.villageId],
    };
  if (f.kioskId !== undefined)
    return {
      index: "redemptions_kiosk_day",
      where: "kiosk_id = ? AND village_id = ?",
      params: [f.kioskId, f.villageId],
    };
  if (f.voided === true)
    return {
      index: "redemptions_village_voided_day",
      where: "village_id = ? AND voided_on IS NOT NULL",
      params: [f.villageId],
    };
  return { index: "redemptions_village_day", where: "village_id = ?", params: [f.villageId] };
}

/** A page of a village's sales, newest first by (day, id), `limit` rows after `after`. */
export function listSales(
  db: Database,
  f: SaleFilter,
  after: SaleCursor | null,
  limit: number,
): RedemptionRow[] {
  const { index, where, params } = salesIndex(f);
  const terms = [where];
  if (f.from !== undefined) (terms.push("occurred_on >= ?"), params.push(f.from));
  // One upper bound, the cursor or the last day, whichever comes first: the index range starts there.
  if (after !== null && (f.to === undefined || after.day <= f.to))
    (terms.push("(occurred_on, id) < (?, ?)"), params.push(after.day, after.id));
  else if (f.to !== undefined) (terms.push("occurred_on <= ?"), params.push(f.to));
  if (f.kioskId !== undefined && index !== "redemptions_kiosk_day")
    (terms.push("kiosk_id = ?"), params.push(f.kioskId));
  if (f.voided !== undefined && index !== "redemptions_village_voided_day")
    terms.push(f.voided ? "voided_at_ms IS NOT NULL" : "voided_at_ms IS NULL");
  params.push(limit);
  const indexed = index === null ? "" : ` INDEXED BY ${index}`;
  return db
    .query<RedemptionRow, (string | number)[]>(
      `SELECT * FROM redemptions${indexed} WHERE ${terms.join(" AND ")} ORDER BY occurred_on DESC, id DESC LIMIT ?`,
    )
    .all(...params);
}

/** The lines of several redemptions, by redemption, in line order. */
export function linesOfMany(
  db: Database,
  redemptionIds: readonly number[],
): Map<number, LineRow[]> {
  const byRedemption = new Map<number, LineRow[]>(redemptionIds.map((id) => [id, []]));
  if (redemptionIds.length === 0) return byRedemption;
  const rows = db
    .query<LineRow, number[]>(
      `SELECT * FROM redemption_lines WHERE redemption_id IN (${redemptionIds.map(() => "?").join(",")}) ORDER BY redemption_id, line_no`,
    )
    .all(...redemptionIds);
  for (const row of rows) byRedemption.get(row.redemption_id)!.push(row);
  return byRedemption;
}
