/**
 * Proves the demo's closing scene: built on the 1st, the 4th or the 28th of a month (at the
 * afternoon hour DEMO_TODAY uses, and once just after midnight on the 1st), the demo ends with
 * what a newcomer and the staff pages must find. Where a village asks for approval: the clerk's
 * entries waiting for the village admin and two or three villagers' claims. Where it has a notice
 * period: entries on notice ending within three days and one or two open objections with a
 * resident's reason. Everywhere: this month's awards, a good low on stock, a public board
 * with something on it, a ledger that verifies and no balance below zero. Field practice: in each
 * village a submitted inspection round whose entries wait for review or sit on notice, today's
 * second round half scored, last month's supermarket statement signed by two and frozen, and a
 * points statement for the bank that verifies as current. Small demos (20
 * households a village) built through the real use cases, read back with SQL and the board's own
 * query.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { buildDemoDatabase } from "../../src/demo/build.ts";
import { setPasswordCost } from "../../src/auth/users.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";
import { boardOf } from "../../src/reports/board.ts";
import { findVillage } from "../../src/villages/village-store.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../src/shared/clock.ts";
import { shanghaiDay, shanghaiDayStartMs, shanghaiMonth } from "../../src/shared/calendar.ts";
import { frozenStatements } from "../../src/market/reconciliation.ts";
import { verifyStatement } from "../../src/statements/statement.ts";

setPasswordCost({ memoryCost: 1024, timeCost: 1 });

const SEED = 20261123;
const HOUSEHOLDS = 20;
/** The demo's present: DEMO_TODAY's afternoon on three days of a month, and 00:05 on the 1st. */
const PRESENTS: readonly (readonly [string, number])[] = [
  ["2026-12-01", 15 * HOUR_MS],
  ["2026-12-04", 15 * HOUR_MS],
  ["2026-12-28", 15 * HOUR_MS],
  ["2027-03-01", 5 * MINUTE_MS],
];
const CHINESE = /[\u4e00-\u9fff]{8,}/;

type Built = { label: string; nowMs: number; db: Database };
const built: Built[] = [];
let dir = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "jifen-closing-"));
  for (const [day, timeMs] of PRESENTS) {
    const nowMs = shanghaiDayStartMs(day) + timeMs;
    const path = join(dir, `${day}-${timeMs}.db`);
    await buildDemoDatabase(path, {
      seed: SEED,
      nowMs,
      publicUrl: "http://demo.test",
      log: () => {},
      householdsPerVillage: HOUSEHOLDS,
    });
    built.push({
      label: `${day} +${timeMs / MINUTE_MS} min`,
      nowMs,
      db: new Database(path, { readonly: true }),
    });
  }
}, 60_000);
afterAll(() => {
  for (const b of built) b.db.close();
  rmSync(dir, { recursive: true, force: true });
});

type Village = { id: number; code: string; notice_days: number; require_approval: number };
const villagesOf = (db: Database) =>
  db
    .query<Village, []>("SELECT id, code, notice_days, require_approval FROM villages ORDER BY id")
    .all();
const count = (db: Database, sql: string, ...params: (string | number)[]) =>
  db.query<{ n: number }, (string | number)[]>(sql).get(...params)!.n;

describe.each(PRESENTS.map(([day, timeMs]) => `${day} +${timeMs / MINUTE_MS} min`))(
  "a demo whose present is %s",
  (label) => {
    const the = () => built.find((b) => b.label === label)!;

    test("where a village asks for approval, the clerk's entries and two or three claims wait for the village admin", () => {
      const { db } = the();
      for (const v of villagesOf(db).filter((x) => x.require_approval === 1)) {
        const waiting = count(
          db,
          "SELECT count(*) AS n FROM entries WHERE village_id = ? AND status = 'proposed' AND is_claim = 0 AND created_by LIKE '%_clerk'",
          v.id,
        );
        const claims = count(
          db,
          "SELECT count(*) AS n FROM entries WHERE village_id = ? AND status = 'proposed' AND is_claim = 1",
          v.id,
        );
        expect({
          village: v.code,
          waiting: waiting >= 3 && waiting <= 10,
          claims: claims >= 2 && claims <= 3,
        }).toEqual({ village: v.code, waiting: true, claims: true });
      }
    });

    test("where a village has a notice period, entries end within three days and one or two objections are open", () => {
      const { db, nowMs } = the();
      for (const v of villagesOf(db).filter((x) => x.notice_days > 0)) {
        const endingSoon = count(
          db,
          "SELECT count(*) AS n FROM entries WHERE village_id = ? AND status = 'in_notice' AND notice_ends_at_ms > ? AND notice_ends_at_ms <= ?",
          v.id,
          nowMs,
          nowMs + 3 * DAY_MS,
        );
        const objections = db
          .query<{ reason: string; status: string }, [number]>(
            "SELECT o.reason, e.status FROM objections o JOIN entries e ON e.id = o.entry_id WHERE e.village_id = ?",
          )
          .all(v.id);
        expect(endingSoon).toBeGreaterThan(0);
        expect(objections.length).toBeWithin(1, 3);
        for (const o of objections) {
          expect(o.status).toBe("disputed");
          expect(o.reason).toMatch(CHINESE);
        }
      }
    });

    test("every village has this month's awards, and the township's month is not zero", () => {
      const { db, nowMs } = the();
      const monthStart = new Date(nowMs + 8 * HOUR_MS).toISOString().slice(0, 8) + "01";
      for (const v of villagesOf(db)) {
        expect({
          village: v.code,
          n:
            count(
              db,
              "SELECT count(*) AS n FROM entries WHERE village_id = ? AND kind = 'award' AND occurred_on >= ? AND status NOT IN ('rejected', 'revoked')",
              v.id,
              monthStart,
            ) > 0,
        }).toEqual({ village: v.code, n: true });
      }
      expect(
        count(
          db,
          "SELECT count(*) AS n FROM entries WHERE kind = 'award' AND status = 'posted' AND occurred_on >= ?",
          monthStart,
        ),
      ).toBeGreaterThan(0);
    });

    test("the boards show entries on notice, this month's honour board and this month's points", () => {
      const { db, nowMs } = the();
      const boards = villagesOf(db).map((v) => boardOf(db, findVillage(db, v.id)!, nowMs));
      expect(boards.some((b) => b.inNoticeTotal > 0)).toBe(true);
      expect(boards.some((b) => b.honourBoard.top.length >= 5)).toBe(true);
      expect(boards.some((b) => b.monthTotals.awarded > 0)).toBe(true);
    });

    // A village of 20 households opens with five of some goods, so only the floor is checked here.
    test("every supermarket has a good low on stock", () => {
      const { db } = the();
      for (const v of villagesOf(db)) {
        expect({
          village: v.code,
          low:
            count(
              db,
              "SELECT count(*) AS n FROM goods WHERE village_id = ? AND stock BETWEEN 1 AND 5",
              v.id,
            ) > 0,
        }).toEqual({ village: v.code, low: true });
      }
    });

    test("the ledger verifies and no balance is below zero", () => {
      const { db } = the();
      expect(verifyLedger(db).ok).toBe(true);
      expect(count(db, "SELECT count(*) AS n FROM households WHERE balance < 0")).toBe(0);
    });

    test("field practice: a submitted round on its way through review, today's round half scored, last month signed, a bank statement current", () => {
      const { db, nowMs } = the();
      const lastMinute = nowMs - MINUTE_MS;
      const [y, m] = shanghaiMonth(lastMinute).split("-").map(Number) as [number, number];
      const lastMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
      for (const v of villagesOf(db)) {
        const rounds = db
          .query<
            {
              id: number;
              status: string;
              day: string;
              entries_count: number;
              batch_id: string | null;
            },
            [number]
          >(
            "SELECT id, status, day, entries_count, batch_id FROM rounds WHERE village_id = ? ORDER BY id",
          )
          .all(v.id);
        const [walked, again] = rounds;
        expect(rounds.length).toBe(2);
        expect(walked!.status).toBe("submitted");
        expect(walked!.entries_count).toBeGreaterThan(5);
        // Its entries are one batch, none refused, and where there is review they passed it.
        const statuses = db
          .query<{ status: string; n: number }, [string]>(
            "SELECT status, count(*) AS n FROM entries WHERE batch_id = ? GROUP BY status",
          )
          .all(walked!.batch_id!);
        expect(statuses.reduce((n, s) => n + s.n, 0)).toBe(walked!.entries_count);
        const expected = v.notice_days > 0 ? "in_notice" : "posted";
        expect({ village: v.code, statuses: statuses.map((s) => s.status) }).toEqual({
          village: v.code,
          statuses: [expected],
        });
        expect(again!.status).toBe("draft");
        expect(again!.day).toBe(shanghaiDay(lastMinute));
        expect(
          count(
            db,
            "SELECT count(*) AS n FROM round_scores WHERE round_id = ? AND quantity > 0",
            again!.id,
          ),
        ).toBeGreaterThan(0);
        const frozen = frozenStatements(db, v.id, 12);
        expect({
          village: v.code,
          months: frozen.map((f) => f.month),
          intact: frozen.every((f) => f.intact),
          signers: frozen[0]?.signers.length,
        }).toEqual({ village: v.code, months: [lastMonth], intact: true, signers: 2 });
      }
      const codes = db.query<{ code: string }, []>("SELECT code FROM household_statements").all();
      expect(codes.length).toBe(1);
      expect(verifyStatement(db, codes[0]!.code)?.verdict).toBe("current");
    });
  },
);
