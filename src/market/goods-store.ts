/** SQL for goods and the stock ledger. Never opens a transaction: the use case holds one. */
import type { Database } from "bun:sqlite";
import { assert } from "../shared/assert.ts";

export type GoodsRow = {
  id: number;
  village_id: number;
  name: string;
  price_points: number;
  category: string | null;
  image_url: string | null;
  active: number;
  stock: number;
  /** At or below this stock the good is listed on the staff's start page (migrations/0012). */
  low_stock_threshold: number;
  created_at_ms: number;
  updated_at_ms: number;
};

export type MovementKind = "intake" | "write_off" | "sale" | "void" | "count";

/** Where an intake came from: donated (by an enterprise or a person, who is named), bought with a
 * government fund, paid from the village's own income, or other (migrations/0013). */
export const STOCK_SOURCES = ["donation", "government", "village", "other"] as const;
export type StockSource = (typeof STOCK_SOURCES)[number];

export type MovementRow = {
  id: number;
  goods_id: number;
  village_id: number;
  kind: MovementKind;
  delta: number;
  stock_after: number;
  reason: string | null;
  /** An intake's source, and the donor of a donation; null on every other kind. */
  source: StockSource | null;
  donor: string | null;
  redemption_id: number | null;
  occurred_on: string;
  created_at_ms: number;
  created_by: string;
};

export type NewGoods = {
  villageId: number;
  name: string;
  pricePoints: number;
  category: string | null;
  imageUrl: string | null;
  lowStockThreshold?: number;
  nowMs: number;
};

/** What a good's low-stock threshold is when none is given (the column's default). */
export const LOW_STOCK_THRESHOLD_DEFAULT = 5;

export function insertGoods(db: Database, g: NewGoods): GoodsRow {
  return db
    .query<
      GoodsRow,
      [number, string, number, string | null, string | null, number, number, number]
    >(
      "INSERT INTO goods (village_id, name, price_points, category, image_url, low_stock_threshold, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
    )
    .get(
      g.villageId,
      g.name,
      g.pricePoints,
      g.category,
      g.imageUrl,
      g.lowStockThreshold ?? LOW_STOCK_THRESHOLD_DEFAULT,
      g.nowMs,
      g.nowMs,
    )!;
}

export function findGoods(db: Database, id: number): GoodsRow | null {
  return db.query<GoodsRow, [number]>("SELECT * FROM goods WHERE id = ?").get(id);
}

export function villageOfGoods(db: Database, id: number): number | null {
  return (
    db.query<{ village_id: number }, [number]>("SELECT village_id FROM goods WHERE id = ?").get(id)
      ?.village_id ?? null
  );
}

export function listGoods(db: Database, villageId: number, onlyActive: boolean): GoodsRow[] {
  return db
    .query<GoodsRow, [number, number]>(
      "SELECT * FROM goods WHERE village_id = ? AND (active = 1 OR ? = 0) ORDER BY category IS NULL, category, name, id",
    )
    .all(villageId, onlyActive ? 1 : 0);
}

/** A village's active goods at or below their low-stock threshold, the emptiest first (goods_village). */
export function lowStockGoods(db: Database, villageId: number): GoodsRow[] {
  return db
    .query<GoodsRow, [number]>(
      "SELECT * FROM goods WHERE village_id = ? AND active = 1 AND stock <= low_stock_threshold ORDER BY stock, name, id",
    )
    .all(villageId);
}

export type GoodsPatch = {
  name?: string;
  pricePoints?: number;
  category?: string | null;
  imageUrl?: string | null;
  active?: boolean;
  lowStockThreshold?: number;
};

export function updateGoodsRow(db: Database, id: number, patch: GoodsPatch, nowMs: number): void {
  const sets: string[] = [];
  const values: (string | number | null)[] = [];
  if (patch.name !== undefined) (sets.push("name = ?"), values.push(patch.name));
  if (patch.pricePoints !== undefined)
    (sets.push("price_points = ?"), values.push(patch.pricePoints));
  if (patch.category !== undefined) (sets.push("category = ?"), values.push(patch.category));
  if (patch.imageUrl !== undefined) (sets.push("image_url = ?"), values.push(patch.imageUrl));
  if (patch.active !== undefined) (sets.push("active = ?"), values.push(patch.active ? 1 : 0));
  if (patch.lowStockThreshold !== undefined)
    (sets.push("low_stock_threshold = ?"), values.push(patch.lowStockThreshold));
  sets.push("updated_at_ms = ?");
  values.push(nowMs, id);
  db.query(`UPDATE goods SET ${sets.join(", ")} WHERE id = ?`).run(...values);
}

export type NewMovement = {
  goodsId: number;
  villageId: number;
  kind: MovementKind;
  delta: number;
  reason: string | null;
  /** Required on an intake (the database refuses one without), absent on every other kind. */
  source?: StockSource | null;
  donor?: string | null;
  redemptionId: number | null;
  occurredOn: string;
  nowMs: number;
  createdBy: string;
};

/**
 * Appends one movement to the stock ledger and moves the stored stock by the same delta, so the
 * stored stock stays the sum of the movements. The caller has checked that the stock suffices;
 * here it is asserted, because a negative stock would be a bug, not a client's mistake.
 */
export function insertMovement(db: Database, m: NewMovement): MovementRow {
  const stockAfter = moveStock(db, m);
  return db
    .query<MovementRow, (string | number | null)[]>(`${INSERT_MOVEMENT} RETURNING *`)
    .get(...movementValues(m, stockAfter))!;
}

/**
 * The same movement when the caller does not need the row back (a sale, on the hot path).
 * `stockBefore` is the good's stock as the caller read it in this same transaction.
 */
export function appendMovement(db: Database, m: NewMovement, stockBefore: number): void {
  const stockAfter = moveStock(db, m, stockBefore);
  db.query<never, (string | number | null)[]>(INSERT_MOVEMENT).run(
    ...movementValues(m, stockAfter),
  );
}

const INSERT_MOVEMENT = `INSERT INTO stock_movements (goods_id, village_id, kind, delta, stock_after, reason, source, donor, redemption_id, occurred_on, created_at_ms, created_by)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function movementValues(m: NewMovement, stockAfter: number): (string | number | null)[] {
  return [
    m.goodsId,
    m.villageId,
    m.kind,
    m.delta,
    stockAfter,
    m.reason,
    m.source ?? null,
    m.donor ?? null,
    m.redemptionId,
    m.occurredOn,
    m.nowMs,
    m.createdBy,
  ];
}

/** Moves goods.stock by the movement's delta and answers the stock after it; never below zero. */
function moveStock(db: Database, m: NewMovement, stockBefore?: number): number {
  assert(
    Number.isSafeInteger(m.delta) && m.delta !== 0,
    "a movement moves a non-zero whole number of units",
  );
  const stock =
    stockBefore ??
    db.query<{ stock: number }, [number]>("SELECT stock FROM goods WHERE id = ?").get(m.goodsId)
      ?.stock;
  assert(stock !== undefined, `goods ${m.goodsId} exists`);
  const stockAfter = stock + m.delta;
  assert(stockAfter >= 0, `stock of goods ${m.goodsId} stays at or above zero`);
  // Guarded by the stock it started from: a caller's stale reading fails loudly, never overwrites.
  const changed = db
    .query<never, [number, number, number]>("UPDATE goods SET stock = ? WHERE id = ? AND stock = ?")
    .run(stockAfter, m.goodsId, stock).changes;
  assert(changed === 1, `goods ${m.goodsId} had ${stock} in stock`);
  return stockAfter;
}

/** A page of a good's stock ledger, newest first, ids below `beforeId` (0: from the newest), on stock_movements_goods. */
export function movementsPage(
  db: Database,
  goodsId: number,
  beforeId: number,
  limit: number,
): MovementRow[] {
  return db
    .query<MovementRow, [number, number, number]>(
      "SELECT * FROM stock_movements WHERE goods_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
    )
    .all(goodsId, beforeId === 0 ? Number.MAX_SAFE_INTEGER : beforeId, limit);
}

export function sumOfMovements(db: Database, goodsId: number): number {
  return db
    .query<{ total: number }, [number]>(
      "SELECT COALESCE(SUM(delta), 0) AS total FROM stock_movements WHERE goods_id = ?",
    )
    .get(goodsId)!.total;
}
