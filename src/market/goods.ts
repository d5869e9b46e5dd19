/**
 * Use cases for goods and their stock, callable without HTTP (the routes and the demo script use
 * them alike). Each runs in one IMMEDIATE transaction with no await inside, records its audit
 * row in that transaction, and answers expected failures as values.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { fail, ok, type Result } from "../shared/result.ts";
import { shanghaiDay } from "../shared/calendar.ts";
import { findGoods, insertGoods, insertMovement, updateGoodsRow, type GoodsPatch, type GoodsRow, type MovementRow } from "./goods-store.ts";

export type GoodsOut = {
  id: string;
  villageId: string;
  name: string;
  pricePoints: number;
  stock: number;
  category: string | null;
  imageUrl: string | null;
  active: boolean;
  lowStockThreshold: number;
  createdAt: string;
  updatedAt: string;
};

export function goodsOut(row: GoodsRow): GoodsOut {
  return {
    id: String(row.id),
    villageId: String(row.village_id),
    name: row.name,
    pricePoints: row.price_points,
    stock: row.stock,
    category: row.category,
    imageUrl: row.image_url,
    active: row.active === 1,
    lowStockThreshold: row.low_stock_threshold,
    createdAt: new Date(row.created_at_ms).toISOString(),
    updatedAt: new Date(row.updated_at_ms).toISOString(),
  };
}

export type MovementOut = { id: string; goodsId: string; kind: MovementRow["kind"]; delta: number; stockAfter: number; reason: string | null; redemptionId: string | null; occurredOn: string; createdAt: string; createdBy: string };

export function movementOut(row: MovementRow): MovementOut {
  return {
    id: String(row.id),
    goodsId: String(row.goods_id),
    kind: row.kind,
    delta: row.delta,
    stockAfter: row.stock_after,
    reason: row.reason,
    redemptionId: row.redemption_id === null ? null : String(row.redemption_id),
    occurredOn: row.occurred_on,
    createdAt: new Date(row.created_at_ms).toISOString(),
    createdBy: row.created_by,
  };
}

export const INITIAL_STOCK_REASON = "initial stock";

export type CreateGoodsInput = {
  villageId: number;
  name: string;
  pricePoints: number;
  /** Units on the shelf at creation: recorded as an intake movement, never as a bare number. */
  stock?: number;
  category?: string | null;
  imageUrl?: string | null;
  /** At or below this stock the good is listed as low (default 5). */
  lowStockThreshold?: number;
  createdBy: string;
};

export function createGoods(db: Database, audit: AuditContext, input: CreateGoodsInput): GoodsOut {
  const nowMs = audit.nowMs;
  const row = immediate(db, () => {
    const created = insertGoods(db, {
      villageId: input.villageId,
      name: input.name,
      pricePoints: input.pricePoints,
      category: input.category ?? null,
      imageUrl: input.imageUrl ?? null,
      ...(input.lowStockThreshold === undefined ? {} : { lowStockThreshold: input.lowStockThreshold }),
      nowMs,
    });
    const initialStock = input.stock ?? 0;
    if (initialStock > 0) {
      insertMovement(db, { goodsId: created.id, villageId: input.villageId, kind: "intake", delta: initialStock, reason: INITIAL_STOCK_REASON, redemptionId: null, occurredOn: shanghaiDay(nowMs), nowMs, createdBy: input.createdBy });
    }
    recordAudit(db, audit, { action: "create", entity: "goods", entityId: created.id, villageId: input.villageId, detail: { name: input.name, pricePoints: input.pricePoints, stock: initialStock, lowStockThreshold: created.low_stock_threshold } });
    return findGoods(db, created.id)!;
  });
  return goodsOut(row);
}

/** Changes a good. Past redemptions keep the name and price they were sold at (their lines copy them). */
export function updateGoods(db: Database, audit: AuditContext, goodsId: number, patch: GoodsPatch): Result<GoodsOut> {
  return immediate(db, () => {
    const before = findGoods(db, goodsId);
    if (before === null) return fail("not-found", `No good with id ${goodsId}.`);
    updateGoodsRow(db, goodsId, patch, audit.nowMs);
    recordAudit(db, audit, { action: "update", entity: "goods", entityId: goodsId, villageId: before.village_id, detail: { ...patch } });
    return ok(goodsOut(findGoods(db, goodsId)!));
  });
}

export type AdjustStockInput = {
  goodsId: number;
  /** Positive: an intake. Negative: a write-off, which needs a reason (broken, expired, lost). */
  delta: number;
  reason: string | null;
  createdBy: string;
};

export function adjustStock(db: Database, audit: AuditContext, input: AdjustStockInput): Result<{ movement: MovementOut; goods: GoodsOut }> {
  if (!Number.isSafeInteger(input.delta) || input.delta === 0) return fail("validation", "delta must be a non-zero whole number.");
  if (input.delta < 0 && (input.reason === null || input.reason.trim() === "")) return fail("validation", "A write-off needs a reason.");
  return immediate(db, () => {
    const goods = findGoods(db, input.goodsId);
    if (goods === null) return fail("not-found", `No good with id ${input.goodsId}.`);
    if (goods.stock + input.delta < 0) {
      return fail("out-of-stock", `${goods.name}: only ${goods.stock} in stock, cannot write off ${-input.delta}.`);
    }
    const movement = insertMovement(db, {
      goodsId: goods.id,
      villageId: goods.village_id,
      kind: input.delta > 0 ? "intake" : "write_off",
      delta: input.delta,
      reason: input.reason,
      redemptionId: null,
      occurredOn: shanghaiDay(audit.nowMs),
      nowMs: audit.nowMs,
      createdBy: input.createdBy,
    });
    recordAudit(db, audit, { action: movement.kind, entity: "goods", entityId: goods.id, villageId: goods.village_id, detail: { delta: input.delta, reason: input.reason, stockAfter: movement.stock_after } });
    return ok({ movement: movementOut(movement), goods: goodsOut(findGoods(db, goods.id)!) });
  });
}

/** Takes goods in: a positive stock movement. */
export function intakeStock(db: Database, audit: AuditContext, input: { goodsId: number; quantity: number; reason?: string | null; createdBy: string }): Result<{ movement: MovementOut; goods: GoodsOut }> {
  if (!(input.quantity > 0)) return fail("validation", "An intake takes in at least one unit.");
  return adjustStock(db, audit, { goodsId: input.goodsId, delta: input.quantity, reason: input.reason ?? null, createdBy: input.createdBy });
}

/** Writes goods off (broken, expired, lost): a negative stock movement with a reason. */
export function writeOffStock(db: Database, audit: AuditContext, input: { goodsId: number; quantity: number; reason: string; createdBy: string }): Result<{ movement: MovementOut; goods: GoodsOut }> {
  if (!(input.quantity > 0)) return fail("validation", "A write-off takes out at least one unit.");
  return adjustStock(db, audit, { goodsId: input.goodsId, delta: -input.quantity, reason: input.reason, createdBy: input.createdBy });
}
