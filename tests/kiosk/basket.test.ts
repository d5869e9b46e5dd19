// Proves the basket arithmetic: totals, the balance and stock limits on adding, removal, and
// trimming a basket to fresh stock.
import { test, expect } from "bun:test";
import {
  addOne,
  basketCount,
  basketItems,
  basketTotalPoints,
  canAddOne,
  reconcileBasket,
  removeOne,
  type Basket,
  type Good,
} from "../../kiosk/logic/basket.ts";

function good(id: string, pricePoints: number, stock: number, active = true): Good {
  return { id, name: id, pricePoints, stock, category: null, imageUrl: null, active };
}
const rice = good("rice", 30, 5);
const oil = good("oil", 50, 1);
const soap = good("soap", 8, 0);
const goods = [rice, oil, soap];

test("adds up the points of every line", () => {
  const b: Basket = { rice: 2, oil: 1 };
  expect(basketTotalPoints(b, goods)).toBe(110);
  expect(basketCount(b)).toBe(3);
});

test("adds one more while the balance covers it", () => {
  expect(addOne({}, goods, rice, 30)).toEqual({ rice: 1 });
});

test("refuses to add what the remaining balance cannot pay for", () => {
  const b: Basket = { rice: 1 };
  expect(canAddOne(b, goods, rice, 59)).toBe("insufficient-points");
  expect(addOne(b, goods, rice, 59)).toBe(b);
});

test("refuses to add beyond the stock", () => {
  expect(canAddOne({ oil: 1 }, goods, oil, 1000)).toBe("stock-limit");
  expect(canAddOne({}, goods, soap, 1000)).toBe("out-of-stock");
});

test("refuses an inactive good", () => {
  const old = good("old", 1, 10, false);
  expect(canAddOne({}, [old], old, 1000)).toBe("inactive");
});

test("removes one and drops the line at zero", () => {
  expect(removeOne({ rice: 2 }, "rice")).toEqual({ rice: 1 });
  expect(removeOne({ rice: 1 }, "rice")).toEqual({});
  const empty: Basket = {};
  expect(removeOne(empty, "rice")).toBe(empty);
});

test("trims the basket to the stock now known and drops vanished goods", () => {
  const fresh = [good("rice", 30, 1), good("oil", 50, 0)];
  expect(reconcileBasket({ rice: 3, oil: 1, gone: 2 }, fresh)).toEqual({ rice: 1 });
});

test("lists the request items in the goods list's order whatever order they were picked in", () => {
  expect(basketItems({ oil: 1, rice: 2 }, goods)).toEqual([
    { goodsId: "rice", quantity: 2 },
    { goodsId: "oil", quantity: 1 },
  ]);
});
