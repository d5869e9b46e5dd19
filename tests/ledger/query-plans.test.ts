/**
 * Proves that the ledger's hot reads use the index meant for them, on a migrated database: an
 * index that no query uses is a cost on every award, and a query that misses its index is a scan
 * of a million entries. The SQL is recorded from the real functions, then explained. Also the
 * rule that lets the server remember each household's village: households never move or go.
 */
import { expect, test } from "bun:test";
import { openLedgerDb } from "../support/ledger-db.ts";
import { householdEntries, villageEntries } from "../../src/ledger/history.ts";
import { pointsUnderCap } from "../../src/ledger/entry.ts";
import { postDueEntries } from "../../src/ledger/posting.ts";
import { publicCardView } from "../../src/villages/public-card.ts";
import { listRedemptions } from "../../src/market/redemption-store.ts";
import { plan, recordSql } from "../support/sql-plan.ts";
import { undoBatch, villageOfBatch } from "../../src/ledger/entry.ts";
import { memberNamedByEntry } from "../../src/villages/household-store.ts";
import { villageObjections } from "../../src/ledger/objections.ts";
import { todayMonth, todayQueue } from "../../src/ledger/today.ts";
import { systemAudit } from "../../src/audit/audit.ts";
import { suspensionOf } from "../../src/ledger/suspension.ts";

const ledger = openLedgerDb(":memory:", {
  households: 3,
  noticeDays: 3,
  requireApproval: false,
  pointsExpire: false,
  nowMs: Date.UTC(2026, 5, 1),
});
const { db, villageId, householdIds, cardTokens, rules } = ledger;

test("the review queue by status and the public notice lists read the queue index, which leaves posted entries out", () => {
  for (const status of ["proposed", "in_notice", "disputed"] as const) {
    const [sql] = recordSql(db, (r) => villageEntries(r, villageId, status, 0, 50));
    expect(plan(db, sql!)).toContain("entries_queue");
  }
  const card = recordSql(db, (r) =>
    publicCardView(r, cardTokens[0]!, { nowMs: Date.UTC(2026, 5, 1) }),
  ).filter((sql) => sql.includes("'in_notice', 'disputed'"));
  expect(card.length).toBe(1);
  expect(plan(db, card[0]!)).toContain("entries_queue");
  const indexSql = db
    .query<{ sql: string }, []>("SELECT sql FROM sqlite_master WHERE name = 'entries_queue'")
    .get()!.sql;
  expect(indexSql).toContain("WHERE status <> 'posted'");
});

test("a household's history, the monthly cap and the notice scheduler each read their own index", () => {
  const [history] = recordSql(db, (r) => householdEntries(r, householdIds[0]!, 0, 50));
  expect(plan(db, history!)).toContain("entries_household");
  const [cap] = recordSql(db, (r) => pointsUnderCap(r, householdIds[0]!, rules.capped, "2026-06"));
  expect(plan(db, cap!)).toContain("entries_cap");
  const due = recordSql(db, (r) => postDueEntries(r, Date.UTC(2026, 5, 1)));
  expect(due.some((sql) => plan(db, sql).includes("entries_notice_due"))).toBe(true);
});

test("undoing a batch and removing a member read their partial indexes, which leave other entries out", () => {
  const batch = recordSql(db, (r) =>
    undoBatch(
      r,
      systemAudit(Date.UTC(2026, 5, 1)),
      { username: "x", mayUndoOthers: true },
      "no-such-batch",
      "录错了",
    ),
  ).filter((sql) => sql.includes("batch_id = ?"));
  expect(batch.length).toBe(1);
  expect(plan(db, batch[0]!)).toContain("entries_batch");
  const [scope] = recordSql(db, (r) => villageOfBatch(r, "no-such-batch"));
  expect(plan(db, scope!)).toContain("entries_batch");
  const [member] = recordSql(db, (r) => memberNamedByEntry(r, 1));
  expect(plan(db, member!)).toContain("entries_member");
  // The foreign key's own check when a member is deleted opens the same index, not the table.
  const rootPages = new Map(
    db
      .query<{ name: string; rootpage: number }, []>("SELECT name, rootpage FROM sqlite_master")
      .all()
      .map((r) => [r.rootpage, r.name]),
  );
  const opened = db
    .query<{ opcode: string; p2: number }, []>("EXPLAIN DELETE FROM members WHERE id = 1")
    .all()
    .filter((r) => r.opcode === "OpenRead")
    .map((r) => rootPages.get(r.p2));
  expect(opened).toContain("entries_member");
  expect(opened).not.toContain("entries");
  for (const name of ["entries_batch", "entries_member"]) {
    const sql = db
      .query<{ sql: string }, [string]>("SELECT sql FROM sqlite_master WHERE name = ?")
      .get(name)!.sql;
    expect(sql).toContain("IS NOT NULL");
  }
});

test("objections, open or all, of a village or a household, page on an index without a scan", () => {
  for (const open of [true, false]) {
    for (const householdId of [undefined, householdIds[0]!]) {
      const [sql] = recordSql(db, (r) =>
        villageObjections(r, villageId, { open, householdId }, 0, 50),
      );
      const detail = plan(db, sql!);
      expect(detail).toContain(open ? "entries_queue" : "objections_village");
      expect(detail).not.toMatch(/SCAN (e|o)\b/);
    }
  }
});

test("the start page's counts read the review queue, and its month the monthly sums by their keys, no entry", () => {
  const nowMs = Date.UTC(2026, 5, 1);
  const queue = recordSql(db, (r) => todayQueue(r, villageId, "a_clerk", nowMs));
  expect(queue.length).toBe(3);
  for (const sql of queue) expect(plan(db, sql)).toMatch(/entries_queue|entries_notice_due/);
  // The month is a whole month: read from the monthly sums (migrations/0022), not the entries.
  const month = recordSql(db, (r) => todayMonth(r, villageId, nowMs));
  expect(month.filter((sql) => sql.includes("FROM entries"))).toEqual([]);
  const sums = month.filter((sql) => /FROM report_(village|household)_months/.test(sql));
  expect(sums.length).toBe(2);
  for (const sql of sums) expect(plan(db, sql)).toContain("USING PRIMARY KEY");
  for (const sql of month) expect(plan(db, sql)).not.toMatch(/^SCAN|\| SCAN/);
});

test("a household's suspension reads the partial suspending index, which leaves every other entry out", () => {
  const [sql] = recordSql(db, (r) => suspensionOf(r, householdIds[0]!, "2026-06-01"));
  expect(plan(db, sql!)).toContain("entries_suspending");
  expect(plan(db, sql!)).not.toMatch(/^SCAN|\| SCAN/);
  const indexSql = db
    .query<{ sql: string }, []>("SELECT sql FROM sqlite_master WHERE name = 'entries_suspending'")
    .get()!.sql;
  expect(indexSql).toContain("WHERE suspend_months IS NOT NULL AND status = 'posted'");
});

test("no index of the entries table is left that no query needs", () => {
  const indexes = db
    .query<{ name: string }, []>(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND sql IS NOT NULL ORDER BY name",
    )
    .all()
    .map((r) => r.name);
  // Each is proven used above, or by the reports (INDEXED BY entries_report, tests/ledger/reports.test.ts).
  expect(indexes).toEqual([
    "entries_batch",
    "entries_cap",
    "entries_household",
    "entries_member",
    "entries_notice_due",
    "entries_queue",
    "entries_report",
    "entries_suspending",
  ]);
  // The audit log's indexes are the audit page's, one per filter (tests/audit/query-plans.test.ts).
  const audit = db
    .query<{ name: string }, []>(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log' AND sql IS NOT NULL ORDER BY name",
    )
    .all()
    .map((r) => r.name);
  expect(audit).toEqual([
    "audit_log_entity",
    "audit_log_village",
    "audit_log_village_action",
    "audit_log_village_actor",
    "audit_log_village_entity",
  ]);
});

test("a household never moves to another village and is never deleted, so its village may be remembered", () => {
  const other = db
    .query<{ id: number }, []>(
      "INSERT INTO villages (name, code, created_at_ms) VALUES ('柳湾村', 'LW', 0) RETURNING id",
    )
    .get()!.id;
  expect(() =>
    db.run(`UPDATE households SET village_id = ${other} WHERE id = ${householdIds[0]}`),
  ).toThrow("never moves");
  expect(() => db.run(`DELETE FROM households WHERE id = ${householdIds[0]}`)).toThrow(
    "never deleted",
  );
  // Other changes to a household are still allowed.
  db.run(`UPDATE households SET address = '东河村3组' WHERE id = ${householdIds[0]}`);
});

test("a village's sales newest first read the receipt-number index, and a sale's entry writes no cap index row", () => {
  const [list] = recordSql(db, (r) => listRedemptions(r, { villageId }, 5, 20)).filter((sql) =>
    sql.includes("FROM redemptions WHERE village_id"),
  );
  const detail = plan(db, list!);
  expect(detail).toMatch(
    /USING (COVERING )?INDEX sqlite_autoindex_redemptions_\d+ \(village_id=\? AND receipt_no<\?\)/,
  );
  expect(detail).not.toContain("TEMP B-TREE");
  const capSql = db
    .query<{ sql: string }, []>("SELECT sql FROM sqlite_master WHERE name = 'entries_cap'")
    .get()!.sql;
  expect(capSql).toContain("WHERE rule_id IS NOT NULL");
});
