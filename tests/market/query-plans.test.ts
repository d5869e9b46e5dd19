/**
 * Proves that the back office's supermarket lists read their indexes: the sales list by each
 * filter (days, kiosk, household, receipt number, voided), newest first without a sort except
 * over the few voided sales, and a good's stock ledger page by page. The SQL is recorded from the
 * real functions on a migrated database, then explained.
 */
import { expect, test } from "bun:test";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import { listSales, type SaleFilter } from "../../src/market/redemption-store.ts";
import { movementsPage } from "../../src/market/goods-store.ts";
import { plan, recordSql } from "../support/sql-plan.ts";

const db = openDatabase(":memory:");
migrate(db, 0);
const CURSOR = { day: "2026-03-02", id: 100 };

const cases: [string, Omit<SaleFilter, "villageId">, RegExp][] = [
  ["the village alone", {}, /INDEX redemptions_village_day \(village_id=\?/],
  [
    "days",
    { from: "2026-03-01", to: "2026-03-31" },
    /INDEX redemptions_village_day \(village_id=\? AND occurred_on>\? AND occurred_on<\?\)/,
  ],
  ["a kiosk", { kioskId: 3 }, /INDEX redemptions_kiosk_day \(kiosk_id=\?/],
  [
    "a kiosk and days",
    { kioskId: 3, from: "2026-03-01", to: "2026-03-31" },
    /INDEX redemptions_kiosk_day \(kiosk_id=\? AND occurred_on>\? AND occurred_on<\?\)/,
  ],
  ["a household", { householdId: 7 }, /INDEX redemptions_household_day \(household_id=\?/],
  [
    "a household and a kiosk",
    { householdId: 7, kioskId: 3, voided: false },
    /INDEX redemptions_household_day \(household_id=\?/,
  ],
  [
    "a receipt number",
    { receiptNo: 12, householdId: 7 },
    /INDEX sqlite_autoindex_redemptions_\d \(village_id=\? AND receipt_no=\?\)/,
  ],
  ["standing sales", { voided: false }, /INDEX redemptions_village_day \(village_id=\?/],
];

test.each(cases)(
  "the sales list by %s reads its index, newest first, without a sort",
  (_, filter, expected) => {
    for (const after of [null, CURSOR]) {
      const [sql] = recordSql(db, (r) => listSales(r, { villageId: 1, ...filter }, after, 51));
      const detail = plan(db, sql!);
      expect(detail).toMatch(/^SEARCH redemptions USING (COVERING )?INDEX /);
      expect(detail).toMatch(expected);
      expect(detail).not.toContain("TEMP B-TREE");
    }
  },
);

test("voided sales come from the partial index of voids (few), sorted by the day they were sold", () => {
  const [sql] = recordSql(db, (r) =>
    listSales(r, { villageId: 1, voided: true, from: "2026-03-01" }, CURSOR, 51),
  );
  const detail = plan(db, sql!);
  expect(detail).toContain("INDEX redemptions_village_voided_day (village_id=?");
  expect(detail).not.toMatch(/^SCAN|\| SCAN/);
});

test("a good's stock ledger pages newest first on its index", () => {
  const [sql] = recordSql(db, (r) => movementsPage(r, 5, 100, 51));
  expect(plan(db, sql!)).toBe(
    "SEARCH stock_movements USING INDEX stock_movements_goods (goods_id=? AND id<?)",
  );
});

test("the kiosk index leaves out sales at the counter", () => {
  const sql = db
    .query<{ sql: string }, []>(
      "SELECT sql FROM sqlite_master WHERE name = 'redemptions_kiosk_day'",
    )
    .get()!.sql;
  expect(sql).toContain("WHERE kiosk_id IS NOT NULL");
});
