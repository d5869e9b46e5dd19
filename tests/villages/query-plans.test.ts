/**
 * Proves that every way of finding a household reads an index and never walks the village:
 * names, pinyin, external id, card number, scanned card URL or token, door number and door plate,
 * the exact names of a pasted list, and the card each answer carries. The SQL is recorded from
 * the real functions on a migrated database, then explained; no step of any plan may be a SCAN.
 */
import { expect, test } from "bun:test";
import { openLedgerDb } from "../support/ledger-db.ts";
import { plan, recordSql } from "../support/sql-plan.ts";
import { householdsByExactName, searchHouseholds } from "../../src/villages/household-store.ts";
import { newestActiveCards } from "../../src/villages/card-store.ts";

const { db, villageId, cardTokens } = openLedgerDb(":memory:", {
  households: 3,
  noticeDays: 0,
  requireApproval: false,
  pointsExpire: false,
  nowMs: Date.UTC(2026, 5, 1),
});

const steps = (sql: string): string[] => plan(db, sql).split(" | ");

test.each([
  ["a card number", "1234 5674", ["sqlite_autoindex_cards_2"]],
  ["a card URL", `http://jifen.test/c/${cardTokens[0]}`, ["sqlite_autoindex_cards_1"]],
  ["a bare token", cardTokens[0]!, ["sqlite_autoindex_cards_1"]],
  ["a door number", "27号", ["households_door_no"]],
  ["a door plate", "3组27号", ["households_door_key"]],
  ["a name", "张建", ["households_name", "members_name"]],
  ["pinyin initials", "zjh", ["households_initials", "households_pinyin"]],
  ["an external id", "H001", ["households_external"]],
])("a search by %s reads its index and scans nothing", (_name, term, indexes) => {
  const sqls = recordSql(db, (r) => searchHouseholds(r, villageId, term, 0, 20));
  const plans = sqls.map((sql) => plan(db, sql)).join("\n");
  for (const index of indexes) expect(plans).toContain(index);
  for (const sql of sqls) for (const step of steps(sql)) expect(step).not.toStartWith("SCAN");
});

test("a pasted name and the cards of a page of households read indexes only", () => {
  const sqls = [
    ...recordSql(db, (r) => householdsByExactName(r, villageId, "没有的人", 10)),
    ...recordSql(db, (r) => newestActiveCards(r, [1, 2, 3])),
  ];
  expect(sqls.length).toBe(3);
  for (const sql of sqls) for (const step of steps(sql)) expect(step).not.toStartWith("SCAN");
  expect(plan(db, sqls[2]!)).toContain("cards_household");
});
