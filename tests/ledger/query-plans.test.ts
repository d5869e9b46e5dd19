/**
 * Proves that the ledger's hot reads use the index meant for them, on a migrated database: an
 * index that no query uses is a cost on every award, and a query that misses its index is a scan
 * of a million entries. The SQL is recorded from the real functions, then explained. Also the
 * rule that lets the server remember each household's village: households never move or go.
 */
import { expect, test } from "bun:test";
import type { Database } from "bun:sqlite";
import { openLedgerDb } from "./ledger-db.ts";
import { householdEntries, villageEntries } from "../../src/ledger/history.ts";
import { pointsUnderCap } from "../../src/ledger/entry.ts";
import { postDueEntries } from "../../src/ledger/posting.ts";
import { publicCardView } from "../../src/villages/public-card.ts";
import { listRedemptions } from "../../src/market/redemption-store.ts";

/** Runs `use` against a connection that records every SQL text it prepares. */
function recordSql(db: Database, use: (db: Database) => void): string[] {
  const seen: string[] = [];
  const recording = new Proxy(db, {
    get(target, key) {
      if (key === "query" || key === "prepare") return (sql: string) => (seen.push(sql), target.query(sql));
      const value = Reflect.get(target, key) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  use(recording);
  return seen;
}

function plan(db: Database, sql: string): string {
  const marks = sql.match(/\?\d*/g) ?? [];
  // Numbered parameters (?1, ?2) may repeat: as many values as the highest number.
  const count = marks.some((m) => m.length > 1) ? Math.max(...marks.map((m) => Number(m.slice(1)) || 0)) : marks.length;
  const params = Array.from({ length: count }, () => 1);
  return db.query<{ detail: string }, (number | string)[]>(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((r) => r.detail).join(" | ");
}

const ledger = openLedgerDb(":memory:", { households: 3, noticeDays: 3, requireApproval: false, pointsExpire: false, nowMs: Date.UTC(2026, 5, 1) });
const { db, villageId, householdIds, cardTokens, rules } = ledger;

test("the review queue by status and the public notice lists read the queue index, which leaves posted entries out", () => {
  for (const status of ["proposed", "in_notice", "disputed"] as const) {
    const [sql] = recordSql(db, (r) => villageEntries(r, villageId, status, 0, 50));
    expect(plan(db, sql!)).toContain("entries_queue");
  }
  const card = recordSql(db, (r) => publicCardView(r, cardTokens[0]!)).filter((sql) => sql.includes("'in_notice', 'disputed'"));
  expect(card.length).toBe(1);
  expect(plan(db, card[0]!)).toContain("entries_queue");
  const indexSql = db.query<{ sql: string }, []>("SELECT sql FROM sqlite_master WHERE name = 'entries_queue'").get()!.sql;
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

test("no index of the entries table is left that no query needs", () => {
  const indexes = db.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND sql IS NOT NULL ORDER BY name").all().map((r) => r.name);
  // Each is proven used above, or by the reports (INDEXED BY entries_report, tests/ledger/reports.test.ts).
  expect(indexes).toEqual(["entries_cap", "entries_household", "entries_notice_due", "entries_queue", "entries_report"]);
  // The audit log is written by every write and read by none.
  expect(db.query("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log' AND sql IS NOT NULL").get()).toEqual({ n: 0 });
});

test("a household never moves to another village and is never deleted, so its village may be remembered", () => {
  const other = db.query<{ id: number }, []>("INSERT INTO villages (name, code, created_at_ms) VALUES ('柳湾村', 'LW', 0) RETURNING id").get()!.id;
  expect(() => db.run(`UPDATE households SET village_id = ${other} WHERE id = ${householdIds[0]}`)).toThrow("never moves");
  expect(() => db.run(`DELETE FROM households WHERE id = ${householdIds[0]}`)).toThrow("never deleted");
  // Other changes to a household are still allowed.
  db.run(`UPDATE households SET address = '东河村3组' WHERE id = ${householdIds[0]}`);
});

test("a village's sales newest first read the receipt-number index, and a sale's entry writes no cap index row", () => {
  const [list] = recordSql(db, (r) => listRedemptions(r, { villageId }, 5, 20)).filter((sql) => sql.includes("FROM redemptions WHERE village_id"));
  const detail = plan(db, list!);
  expect(detail).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_redemptions_\d+ \(village_id=\? AND receipt_no<\?\)/);
  expect(detail).not.toContain("TEMP B-TREE");
  const capSql = db.query<{ sql: string }, []>("SELECT sql FROM sqlite_master WHERE name = 'entries_cap'").get()!.sql;
  expect(capSql).toContain("WHERE rule_id IS NOT NULL");
});
