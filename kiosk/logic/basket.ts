// Basket arithmetic for one household's visit. Pure: goods, balance and quantities in, numbers and
// verdicts out. The server checks the same things again in one transaction; the kiosk checks them
// first so a villager is never led to a confirm button that can only fail.

/** A good as the server sends it (its zod-declared shape), the fields a basket needs. */
export type Good = Pick<
  GoodsOut,
  "id" | "name" | "pricePoints" | "stock" | "category" | "imageUrl" | "active"
>;

/** goodsId → quantity; a missing id means zero. */
import type { GoodsOut } from "../../src/market/goods.ts";

export type Basket = Readonly<Record<string, number>>;

export interface BasketLine {
  good: Good;
  quantity: number;
  points: number;
}

export type AddVerdict = "ok" | "out-of-stock" | "stock-limit" | "insufficient-points" | "inactive";

export function quantityOf(basket: Basket, goodsId: string): number {
  return basket[goodsId] ?? 0;
}

export function basketLines(basket: Basket, goods: readonly Good[]): BasketLine[] {
  const lines: BasketLine[] = [];
  for (const good of goods) {
    const quantity = quantityOf(basket, good.id);
    if (quantity > 0) lines.push({ good, quantity, points: quantity * good.pricePoints });
  }
  return lines;
}

export function basketTotalPoints(basket: Basket, goods: readonly Good[]): number {
  return basketLines(basket, goods).reduce((sum, line) => sum + line.points, 0);
}

export function basketCount(basket: Basket): number {
  return Object.values(basket).reduce((sum, q) => sum + q, 0);
}

/** Whether one more of `good` may go into the basket, and if not, why. */
export function canAddOne(
  basket: Basket,
  goods: readonly Good[],
  good: Good,
  balancePoints: number,
): AddVerdict {
  if (!good.active) return "inactive";
  if (good.stock <= 0) return "out-of-stock";
  if (quantityOf(basket, good.id) >= good.stock) return "stock-limit";
  const remaining = balancePoints - basketTotalPoints(basket, goods);
  if (good.pricePoints > remaining) return "insufficient-points";
  return "ok";
}

export function addOne(
  basket: Basket,
  goods: readonly Good[],
  good: Good,
  balancePoints: number,
): Basket {
  if (canAddOne(basket, goods, good, balancePoints) !== "ok") return basket;
  return { ...basket, [good.id]: quantityOf(basket, good.id) + 1 };
}

export function removeOne(basket: Basket, goodsId: string): Basket {
  const quantity = quantityOf(basket, goodsId);
  if (quantity <= 0) return basket;
  const next: Record<string, number> = { ...basket };
  if (quantity === 1) delete next[goodsId];
  else next[goodsId] = quantity - 1;
  return next;
}

/**
 * Drops what is no longer in the goods list and trims quantities to the stock now known, e.g.
 * after a 409 out-of-stock made the kiosk reload the goods.
 */
export function reconcileBasket(basket: Basket, goods: readonly Good[]): Basket {
  const next: Record<string, number> = {};
  for (const good of goods) {
    const q = Math.min(quantityOf(basket, good.id), good.active ? good.stock : 0);
    if (q > 0) next[good.id] = q;
  }
  return next;
}

/** The request body's items, in the goods list's order so the same basket makes the same body. */
export function basketItems(
  basket: Basket,
  goods: readonly Good[],
): { goodsId: string; quantity: number }[] {
  return basketLines(basket, goods).map((line) => ({
    goodsId: line.good.id,
    quantity: line.quantity,
  }));
}
