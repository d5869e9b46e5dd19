/**
 * Proves that the reads of issue 18 use the index meant for them, on a migrated database: the SQL
 * is recorded from the real functions, then explained. A statement's figures must walk the
 * household's own entries, never the township's months; a round, a month-end statement and the
 * statements of a household each read their own keys.
 */
import { expect, test } from "bun:test";
import { openLedgerDb } from "../support/ledger-db.ts";
import { plan, recordSql } from "../support/sql-plan.ts";
import { honourScore, monthsByCategory, statementMonths } from "../../src/statements/honour.ts";
import { statementsOfHousehold } from "../../src/statements/statement-store.ts";
import { monthLines, frozenStatements } from "../../src/market/reconciliation.ts";
import { roundScores, roundsPage, scoredCount } from "../../src/rounds/round-store.ts";

const { db, villageId, householdIds } = openLedgerDb(":memory:", {
  households: 2,
  noticeDays: 0,
  requireApproval: false,
  pointsExpire: false,
  nowMs: Date.UTC(2026, 5, 1),
});
const household = householdIds[0]!;

test("the honour score and the twelve months walk the household's own entries", () => {
  const [score] = recordSql(db, (r) => honourScore(r, household));
  expect(plan(db, score!)).toContain("SEARCH e USING INDEX entries_household (household_id=?)");
  const [months] = recordSql(db, (r) =>
    monthsByCategory(r, household, statementMonths("2026-06-01")),
  );
  expect(plan(db, months!)).toContain("SEARCH e USING INDEX entries_household (household_id=?)");
  expect(plan(db, months!)).not.toContain("entries_report");
});

test("a month-end statement reads the village's movements by day, and the frozen months by key", () => {
  const sqls = recordSql(db, (r) => monthLines(r, villageId, "2026-05"));
  const movements = sqls.filter((sql) => sql.includes("FROM stock_movements"));
  expect(movements.length).toBe(3);
  for (const sql of movements)
    expect(plan(db, sql)).toContain("stock_movements_village_day (village_id=?");
  const [frozen] = recordSql(db, (r) => frozenStatements(r, villageId, 12));
  expect(plan(db, frozen!)).toMatch(
    /USING INDEX sqlite_autoindex_market_statements_1 \(village_id=\?\)/,
  );
});

test("rounds and statements are read by their keys", () => {
  const [page] = recordSql(db, (r) => roundsPage(r, villageId, 0, 50));
  expect(plan(db, page!)).toContain("rounds_village (village_id=? AND id<?)");
  const [scores] = recordSql(db, (r) => roundScores(r, 1));
  expect(plan(db, scores!)).toContain("PRIMARY KEY (round_id=?)");
  const [scored] = recordSql(db, (r) => scoredCount(r, 1));
  expect(plan(db, scored!)).toContain("PRIMARY KEY (round_id=?)");
  const [statements] = recordSql(db, (r) => statementsOfHousehold(r, household));
  expect(plan(db, statements!)).toContain("household_statements_household (household_id=?)");
});
