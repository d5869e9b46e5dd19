/**
 * Use cases for goods and their stock, callable without HTTP (the routes and the demo script use
 * them alike). Each runs in one IMMEDIATE transaction with no await inside, records its audit
 * row in that transaction, and answers expected failures as values.
 */
import type { Database } from "bun:sqlite";
import { immediate } from "../db/open.ts";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import {
  fail,
  ok,
  type Because,
  type Failure,
  type FailureReason,
  type Success,
} from "../shared/result.ts";
import { shanghaiDay } from "../shared/calendar.ts";
import { actorDisplayNames } from "../auth/actor-names.ts";
import {
  findGoods,
  insertGoods,
  insertMovement,
  updateGoodsRow,
  type GoodsPatch,
  type GoodsRow,
  type MovementRow,
  type StockSource,
} from "./goods-store.ts";

/** A refusal of a stock use case: the field it is about and its code, for a page to say it in its words. */
export type StockFailure = Failure & { path?: string; because?: Because };
export type StockResult<T> = Success<T> | StockFailure;

function refusal(
  reason: FailureReason,
  detail: string,
  because: Because,
  path?: string,
): StockFailure {
  return { ...fail(reason, detail), because, ...(path === undefined ? {} : { path }) };
}

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
  /** At or below its low-stock threshold. */
  low: boolean;
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
    low: row.stock <= row.low_stock_threshold,
    createdAt: new Date(row.created_at_ms).toISOString(),
    updatedAt: new Date(row.updated_at_ms).toISOString(),
  };
}

export type MovementOut = {
  id: string;
  goodsId: string;
  /** When it was recorded (ISO 8601, UTC). */
  at: string;
  kind: MovementRow["kind"];
  delta: number;
  reason: string | null;
  source: StockSource | null;
  donor: string | null;
  /** Who recorded it, as people read it (display name, username or kiosk name). */
  by: string;
  /** As stored: `user:5`, `kiosk:3` or a username. */
  createdBy: string;
  redemptionId: string | null;
  stockAfter: number;
  occurredOn: string;
};

/** Movements as answered; `names` from actorDisplayNames of their creators (looked up once a page). */
export function movementsOut(db: Database, rows: readonly MovementRow[]): MovementOut[] {
  const names = actorDisplayNames(
    db,
    rows.map((r) => r.created_by),
  );
  return rows.map((row) => ({
    id: String(row.id),
    goodsId: String(row.goods_id),
    at: new Date(row.created_at_ms).toISOString(),
    kind: row.kind,
    delta: row.delta,
    reason: row.reason,
    source: row.source,
    donor: row.donor,
    by: names.get(row.created_by) ?? row.created_by,
    createdBy: row.created_by,
    redemptionId: row.redemption_id === null ? null : String(row.redemption_id),
    stockAfter: row.stock_after,
    occurredOn: row.occurred_on,
  }));
}

export function movementOut(db: Database, row: MovementRow): MovementOut {
  return movementsOut(db, [row])[0]!;
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
      ...(input.lowStockThreshold === undefined
        ? {}
        : { lowStockThreshold: input.lowStockThreshold }),
      nowMs,
    });
    const initialStock = input.stock ?? 0;
    if (initialStock > 0) {
      insertMovement(db, {
        goodsId: created.id,
        villageId: input.villageId,
        kind: "intake",
        delta: initialStock,
        reason: INITIAL_STOCK_REASON,
        source: "other",
        redemptionId: null,
        occurredOn: shanghaiDay(nowMs),
        nowMs,
        createdBy: input.createdBy,
      });
    }
    recordAudit(db, audit, {
      action: "create",
      entity: "goods",
      entityId: created.id,
      villageId: input.villageId,
      detail: {
        name: input.name,
        pricePoints: input.pricePoints,
        stock: initialStock,
        lowStockThreshold: created.low_stock_threshold,
      },
    });
    return findGoods(db, created.id)!;
  });
  return goodsOut(row);
}

/** Changes a good. Past redemptions keep the name and price they were sold at (their lines copy them). */
/**
 * Who changes a good: `role` is the caller's. A price moves every later sale's points, so only a
 * village or township administrator changes it; a clerk may change everything else (a price sent
 * unchanged, as a form sends every field, is no change).
 */
export function updateGoods(
  db: Database,
  audit: AuditContext,
  goodsId: number,
  patch: GoodsPatch,
  role: "township_admin" | "village_admin" | "clerk" | "kiosk",
): StockResult<GoodsOut> {
  return immediate(db, (): StockResult<GoodsOut> => {
    const before = findGoods(db, goodsId);
    if (before === null) return fail("not-found", `No good with id ${goodsId}.`);
    const repriced = patch.pricePoints !== undefined && patch.pricePoints !== before.price_points;
    if (repriced && role !== "village_admin" && role !== "township_admin") {
      return refusal(
        "forbidden",
        `A ${role} may not change a good's price; a village administrator does.`,
        { code: "role-may-not", params: { role } },
        "body.pricePoints",
      );
    }
    updateGoodsRow(db, goodsId, patch, audit.nowMs);
    recordAudit(db, audit, {
      action: "update",
      entity: "goods",
      entityId: goodsId,
      villageId: before.village_id,
      detail: { ...patch, ...(repriced ? { pricePointsBefore: before.price_points } : {}) },
    });
    return ok(goodsOut(findGoods(db, goodsId)!));
  });
}

export type AdjustStockInput = {
  goodsId: number;
  /** Positive: an intake. Negative: a write-off, which needs a reason (broken, expired, lost). */
  delta: number;
  reason: string | null;
  /** An intake's source; 'other' when a caller names none (callers from before sources existed). */
  source?: StockSource | null;
  /** Who donated it: required when the source is a donation, allowed on any intake. */
  donor?: string | null;
  createdBy: string;
};

export type StockMoved = { movement: MovementOut; goods: GoodsOut };

/** What makes an intake or a write-off well formed, before the good is read; null when it is. */
function stockInputRefusal(input: AdjustStockInput): StockFailure | null {
  if (!Number.isSafeInteger(input.delta) || input.delta === 0)
    return refusal(
      "validation",
      "delta must be a non-zero whole number.",
      { code: "delta-zero", params: {} },
      "body.delta",
    );
  const hasReason = input.reason !== null && input.reason.trim() !== "";
  if (input.delta < 0) {
    if (!hasReason)
      return refusal(
        "validation",
        "A write-off needs a reason.",
        { code: "write-off-needs-reason", params: {} },
        "body.reason",
      );
    if (input.source != null)
      return refusal(
        "validation",
        "A write-off has no source; only an intake names where goods came from.",
        { code: "write-off-takes-no-source", params: {} },
        "body.source",
      );
    if (input.donor != null)
      return refusal(
        "validation",
        "A write-off has no donor; only an intake names one.",
        { code: "write-off-takes-no-source", params: {} },
        "body.donor",
      );
    return null;
  }
  if (input.source === "donation" && (input.donor == null || input.donor.trim() === "")) {
    return refusal(
      "validation",
      "A donation names its donor (an enterprise or a person).",
      { code: "donation-needs-donor", params: {} },
      "body.donor",
    );
  }
  return null;
}

export function adjustStock(
  db: Database,
  audit: AuditContext,
  input: AdjustStockInput,
): StockResult<StockMoved> {
  const refused = stockInputRefusal(input);
  if (refused !== null) return refused;
  const intake = input.delta > 0;
  const source: StockSource | null = intake ? (input.source ?? "other") : null;
  const donor = intake ? input.donor?.trim() || null : null;
  return immediate(db, (): StockResult<StockMoved> => {
    const goods = findGoods(db, input.goodsId);
    if (goods === null)
      return refusal("not-found", `No good with id ${input.goodsId}.`, {
        code: "goods-not-found",
        params: {},
      });
    if (goods.stock + input.delta < 0) {
      return refusal(
        "out-of-stock",
        `${goods.name}: only ${goods.stock} in stock, cannot write off ${-input.delta}.`,
        {
          code: "write-off-over-stock",
          params: { goods: goods.name, stock: goods.stock, asked: -input.delta },
        },
        "body.delta",
      );
    }
    const movement = insertMovement(db, {
      goodsId: goods.id,
      villageId: goods.village_id,
      kind: intake ? "intake" : "write_off",
      delta: input.delta,
      reason: input.reason,
      source,
      donor,
      redemptionId: null,
      occurredOn: shanghaiDay(audit.nowMs),
      nowMs: audit.nowMs,
      createdBy: input.createdBy,
    });
    recordAudit(db, audit, {
      action: movement.kind,
      entity: "goods",
      entityId: goods.id,
      villageId: goods.village_id,
      detail: {
        name: goods.name,
        delta: input.delta,
        reason: input.reason,
        ...(source === null ? {} : { source }),
        ...(donor === null ? {} : { donor }),
        stockAfter: movement.stock_after,
      },
    });
    return ok({ movement: movementOut(db, movement), goods: goodsOut(findGoods(db, goods.id)!) });
  });
}

/** Takes goods in: a positive stock movement, from a source (default 'other'). */
export function intakeStock(
  db: Database,
  audit: AuditContext,
  input: {
    goodsId: number;
    quantity: number;
    reason?: string | null;
    source?: StockSource;
    donor?: string | null;
    createdBy: string;
  },
): StockResult<StockMoved> {
  if (!(input.quantity > 0)) return fail("validation", "An intake takes in at least one unit.");
  return adjustStock(db, audit, {
    goodsId: input.goodsId,
    delta: input.quantity,
    reason: input.reason ?? null,
    source: input.source ?? "other",
    donor: input.donor ?? null,
    createdBy: input.createdBy,
  });
}

/** Writes goods off (broken, expired, lost): a negative stock movement with a reason. */
export function writeOffStock(
  db: Database,
  audit: AuditContext,
  input: { goodsId: number; quantity: number; reason: string; createdBy: string },
): StockResult<StockMoved> {
  if (!(input.quantity > 0)) return fail("validation", "A write-off takes out at least one unit.");
  return adjustStock(db, audit, {
    goodsId: input.goodsId,
    delta: -input.quantity,
    reason: input.reason,
    createdBy: input.createdBy,
  });
}

export type CountInput = { goodsId: number; counted: number; reason: string; createdBy: string };
export type Counted = {
  before: number;
  counted: number;
  difference: number;
  movement: MovementOut | null;
  goods: GoodsOut;
};

/**
 * A stock count (盘点): what is on the shelf becomes the stock. The difference is one movement of
 * kind `count` (negative: lost, with the reason; positive: found), in the same transaction as the
 * audit row, so the stock is read and set under the write lock and a sale cannot slip between.
 * A count that matches records nothing but its audit row: that the shelf was checked.
 */
export function countStock(
  db: Database,
  audit: AuditContext,
  input: CountInput,
): StockResult<Counted> {
  if (!Number.isSafeInteger(input.counted) || input.counted < 0)
    return refusal(
      "validation",
      "counted must be a whole number, 0 or more.",
      { code: "count-invalid", params: {} },
      "body.counted",
    );
  if (input.reason.trim() === "")
    return refusal(
      "validation",
      "A count needs a reason.",
      { code: "count-needs-reason", params: {} },
      "body.reason",
    );
  return immediate(db, (): StockResult<Counted> => {
    const goods = findGoods(db, input.goodsId);
    if (goods === null)
      return refusal("not-found", `No good with id ${input.goodsId}.`, {
        code: "goods-not-found",
        params: {},
      });
    const before = goods.stock;
    const difference = input.counted - before;
    const movement =
      difference === 0
        ? null
        : insertMovement(db, {
            goodsId: goods.id,
            villageId: goods.village_id,
            kind: "count",
            delta: difference,
            reason: input.reason,
            redemptionId: null,
            occurredOn: shanghaiDay(audit.nowMs),
            nowMs: audit.nowMs,
            createdBy: input.createdBy,
          });
    recordAudit(db, audit, {
      action: "count",
      entity: "goods",
      entityId: goods.id,
      villageId: goods.village_id,
      detail: {
        name: goods.name,
        before,
        counted: input.counted,
        difference,
        reason: input.reason,
      },
    });
    const after = findGoods(db, goods.id)!;
    return ok({
      before,
      counted: input.counted,
      difference,
      movement: movement === null ? null : movementOut(db, movement),
      goods: goodsOut(after),
    });
  });
}
