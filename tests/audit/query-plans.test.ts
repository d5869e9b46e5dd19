/**
 * Proves that each filter of the audit log's search reads its index as a bounded range, newest
 * first, with no scan of the table and no sort: the SQL is recorded from the real search
 * functions on a migrated database, then explained. The search over all villages runs the same
 * statements once per village, so each of those is proven here too (tests/bench/audit.bench.ts
 * times them over 1,000,000 rows).
 */
import { expect, test } from "bun:test";
import { openDatabase } from "../../src/db/open.ts";
import { migrate } from "../../src/db/migrate.ts";
import {
  distinctAuditValues,
  searchAuditKeys,
  type AuditFilter,
} from "../../src/audit/audit-search.ts";
import { plan, recordSql } from "../support/sql-plan.ts";

const db = openDatabase(":memory:");
migrate(db, 0);
db.run(
  "INSERT INTO villages (name, code, created_at_ms) VALUES ('东河村', 'DH', 0), ('柳湾村', 'LW', 0)",
);
const DAY = { fromMs: Date.UTC(2026, 2, 1, 16), toMs: Date.UTC(2026, 2, 2, 16) };
const CURSOR = { atMs: Date.UTC(2026, 2, 2), id: 100 };

const cases: [string, Omit<AuditFilter, "villages">, string][] = [
  ["the village alone", {}, "audit_log_village (village_id=?"],
  ["the village and days", { ...DAY }, "audit_log_village (village_id=? AND at_ms>? AND at_ms<?)"],
  [
    "an actor",
    { actor: { kind: "user", id: "5" } },
    "audit_log_village_actor (village_id=? AND actor_kind=? AND actor_id=?",
  ],
  [
    "a kiosk and days",
    { actor: { kind: "kiosk", id: "3" }, ...DAY },
    "audit_log_village_actor (village_id=? AND actor_kind=? AND actor_id=? AND at_ms>? AND at_ms<?)",
  ],
  ["an action", { action: "void" }, "audit_log_village_action (village_id=? AND action=?"],
  [
    "an action and an actor",
    { action: "void", actor: { kind: "user", id: "5" } },
    "audit_log_village_action (village_id=? AND action=?",
  ],
  ["an entity", { entity: "goods" }, "audit_log_village_entity (village_id=? AND entity=?"],
  [
    "an entity and days",
    { entity: "goods", ...DAY },
    "audit_log_village_entity (village_id=? AND entity=? AND at_ms>? AND at_ms<?)",
  ],
];

test.each(cases)(
  "%s reads its index as a range, newest first, without a sort, one village or all",
  (_, filter, expected) => {
    for (const villages of [[1], [null, 1, 2]]) {
      for (const before of [null, CURSOR]) {
        const sqls = recordSql(db, (r) => searchAuditKeys(r, { ...filter, villages }, before, 51));
        expect(sqls.length).toBeGreaterThan(0);
        for (const sql of sqls) {
          const detail = plan(db, sql);
          expect(detail).toMatch(/^SEARCH audit_log USING (COVERING )?INDEX /);
          expect(detail).toContain(`INDEX ${expected}`);
          // With a cursor, the range starts at it: the scan never walks the rows already served.
          if (before !== null) expect(detail).toMatch(/at_ms<\?\)$/);
          expect(detail).not.toContain("TEMP B-TREE");
          expect(detail).not.toMatch(/^SCAN|\| SCAN/);
        }
      }
    }
  },
);

test("the search over all villages bounds each later village's range by the page it already holds", () => {
  // Three rows in each of two villages, newest in village 2: village 1's query must stop at the held page's oldest row.
  const insert = db.query(
    "INSERT INTO audit_log (at_ms, actor_kind, actor_id, village_id, action, entity, entity_id) VALUES (?, 'user', '5', ?, 'update', 'goods', '1')",
  );
  for (let i = 0; i < 3; i++) (insert.run(1000 + i, 1), insert.run(2000 + i, 2));
  const sqls = recordSql(db, (r) => searchAuditKeys(r, { villages: [2, 1] }, null, 2));
  expect(sqls.some((sql) => sql.includes("(at_ms, id) > (?, ?)"))).toBe(true);
  expect(searchAuditKeys(db, { villages: [2, 1] }, null, 2).map((k) => k.atMs)).toEqual([
    2002, 2001,
  ]);
  expect(searchAuditKeys(db, { villages: [1, 2] }, null, 4).map((k) => k.atMs)).toEqual([
    2002, 2001, 2000, 1002,
  ]);
  db.run("DELETE FROM audit_log");
});

test("one record's rows (a record, a receipt's redemption) read the entity index", () => {
  for (const villages of [[1], [null, 1, 2]]) {
    const [sql] = recordSql(db, (r) =>
      searchAuditKeys(
        r,
        { villages, entity: "redemption", entityIds: ["7", "9"], action: "void" },
        CURSOR,
        51,
      ),
    );
    const detail = plan(db, sql!);
    expect(detail).toContain("USING INDEX audit_log_entity (entity=? AND entity_id=?)");
    expect(detail).not.toMatch(/^SCAN|\| SCAN/);
  }
});

test("the pick lists step from one value to the next along the index, never scanning the log", () => {
  for (const column of ["action", "entity"] as const) {
    const [sql] = recordSql(db, (r) => distinctAuditValues(r, column, [1]));
    const detail = plan(db, sql!);
    expect(detail).toMatch(
      new RegExp(
        `USING COVERING INDEX audit_log_village_${column} \\(village_id=\\? AND ${column}>\\?\\)`,
      ),
    );
    expect(detail).not.toContain("SCAN audit_log");
  }
  const [all] = recordSql(db, (r) => distinctAuditValues(r, "entity", [null, 1, 2]));
  expect(plan(db, all!)).toContain("USING COVERING INDEX audit_log_entity (entity>?)");
  expect(plan(db, all!)).not.toContain("SCAN audit_log");
  db.run(
    "INSERT INTO audit_log (at_ms, actor_kind, village_id, action, entity) VALUES (1, 'system', NULL, 'create', 'village'), (2, 'system', 1, 'void', 'redemption'), (3, 'system', 1, 'create', 'goods'), (4, 'system', 2, 'count', 'goods')",
  );
  expect(distinctAuditValues(db, "entity", [null, 1, 2])).toEqual([
    "goods",
    "redemption",
    "village",
  ]);
  expect(distinctAuditValues(db, "action", [null, 1])).toEqual(["create", "void"]);
  expect(distinctAuditValues(db, "entity", [1])).toEqual(["goods", "redemption"]);
  db.run("DELETE FROM audit_log");
});
