/**
 * Properties of the ledger over random sequences of operations, run through the use cases on a
 * real SQLite database with a moving clock: award, deduct, claim, batch, approve, reject, object,
 * resolve, post when due, reverse, redeem (as the supermarket writes it) and year-end expiry.
 * After every step: each stored balance equals the sum of the household's posted entries, and
 * each stored honour score the sum of its posted awards, deductions and their reversals; no
 * posted entry has changed since it was posted (snapshots compared); no entry is reversed twice
 * and a second reversal is refused; expiry never takes a balance below zero; the chain verifies.
 * A second property makes one raw-SQL edit of one field of one posted entry behind the server's
 * back (triggers dropped, checks and foreign keys off) and requires verify to catch it.
 */
import { expect, test, setDefaultTimeout } from "bun:test";

// Generous: these run hundreds of operations or child processes on a shared two-core machine.
setDefaultTimeout(60_000);
import fc from "fast-check";
import type { Database } from "bun:sqlite";
import { systemAudit, type AuditContext } from "../../src/audit/audit.ts";
import { DAY_MS } from "../../src/shared/clock.ts";
import { CHAINED_COLUMNS } from "../../src/ledger/chain.ts";
import {
  approveEntry,
  objectToEntry,
  recordBatch,
  recordEntry,
  rejectEntry,
  resolveObjection,
  reverseEntry,
} from "../../src/ledger/entry.ts";
import { insertEntry, postEntry } from "../../src/ledger/entry-store.ts";
import { expireYear } from "../../src/ledger/expiry.ts";
import { postDueEntries } from "../../src/ledger/posting.ts";
import { verifyLedger } from "../../src/ledger/verify.ts";
import { buildReport, HONOUR_BOARD_SIZE, periodTotals } from "../../src/ledger/report.ts";
import { monthsBetween } from "../../src/shared/calendar.ts";
import type { VillageRow } from "../../src/villages/village-store.ts";
import { honourScore } from "../../src/statements/honour.ts";
import { openLedgerDb, type LedgerDb } from "../support/ledger-db.ts";

const T0_MS = Date.UTC(2026, 10, 20, 2); // late November, so random steps cross a year end
const STAFF = [{ username: "clerk1" }, { username: "clerk2" }] as const;

type Op =
  | {
      t: "record";
      h: number;
      rule: "plus" | "capped" | "minus";
      qty: number;
      claim: boolean;
      by: 0 | 1;
    }
  | { t: "batch"; hs: number[]; rule: "plus" | "capped"; by: 0 | 1 }
  | { t: "approve"; pick: number; by: 0 | 1 }
  | { t: "reject"; pick: number }
  | { t: "object"; pick: number; card: number }
  | { t: "resolve"; pick: number; uphold: boolean }
  | { t: "advance"; hours: number }
  | { t: "reverse"; pick: number }
  | { t: "redeem"; h: number; points: number }
  | { t: "expire" };

const H = 4;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("record" as const),
      h: fc.nat(H - 1),
      rule: fc.constantFrom("plus" as const, "capped" as const, "minus" as const),
      qty: fc.integer({ min: 1, max: 4 }),
      claim: fc.boolean(),
      by: fc.constantFrom(0 as const, 1 as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("batch" as const),
      hs: fc.uniqueArray(fc.nat(H - 1), { minLength: 1, maxLength: H }),
      rule: fc.constantFrom("plus" as const, "capped" as const),
      by: fc.constantFrom(0 as const, 1 as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("approve" as const),
      pick: fc.nat(),
      by: fc.constantFrom(0 as const, 1 as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("reject" as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("object" as const),
      pick: fc.nat(),
      card: fc.nat(H - 1),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("resolve" as const),
      pick: fc.nat(),
      uphold: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("advance" as const),
      hours: fc.integer({ min: 1, max: 24 * 12 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("reverse" as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("redeem" as const),
      h: fc.nat(H - 1),
      points: fc.integer({ min: 1, max: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: "expire" as const }) },
);

/** Runs one operation; refusals are expected outcomes and simply change nothing. */
function apply(l: LedgerDb, op: Op, nowMs: number): void {
  const db = l.db;
  const audit: AuditContext = { ...systemAudit(nowMs), actorKind: "user" };
  const ids = db
    .query<{ id: number }, []>("SELECT id FROM entries ORDER BY id")
    .all()
    .map((r) => r.id);
  const pick = (n: number): number => (ids.length === 0 ? 1 : ids[n % ids.length]!);
  switch (op.t) {
    case "record":
      recordEntry(db, audit, STAFF[op.by], {
        householdId: l.householdIds[op.h]!,
        ruleId: l.rules[op.rule],
        quantity: op.qty,
        claim: op.claim,
      });
      return;
    case "batch":
      recordBatch(db, audit, STAFF[op.by], {
        ruleId: l.rules[op.rule],
        householdIds: op.hs.map((i) => l.householdIds[i]!),
      });
      return;
    case "approve":
      approveEntry(db, audit, STAFF[op.by], pick(op.pick));
      return;
    case "reject":
      rejectEntry(db, audit, STAFF[0], pick(op.pick), "不符");
      return;
    case "object":
      objectToEntry(
        db,
        { ...audit, actorKind: "public" },
        { cardToken: l.cardTokens[op.card]!, entryId: pick(op.pick), reason: "异议" },
      );
      return;
    case "resolve":
      resolveObjection(db, audit, STAFF[1], pick(op.pick), op.uphold ? "uphold" : "revoke", "决定");
      return;
    case "advance":
      postDueEntries(db, nowMs);
      return;
    case "reverse": {
      const id = pick(op.pick);
      const first = reverseEntry(db, audit, STAFF[0], id, "更正");
      // Whatever the first answer was, a second reversal of the same entry is always refused.
      expect(reverseEntry(db, audit, STAFF[0], id, "再次更正").ok).toBe(false);
      void first;
      return;
    }
    case "redeem": {
      const householdId = l.householdIds[op.h]!;
      db.transaction(() => {
        const { balance } = db
          .query<{ balance: number }, [number]>("SELECT balance FROM households WHERE id = ?")
          .get(householdId)!;
        if (balance < op.points) return;
        const id = insertEntry(db, {
          villageId: l.villageId,
          householdId,
          memberId: null,
          ruleId: null,
          kind: "redemption",
          status: "proposed",
          points: -op.points,
          quantity: 1,
          ruleCode: null,
          ruleTitle: null,
          category: null,
          note: null,
          occurredOn: "2026-12-01",
          reversesId: null,
          redemptionId: null,
          batchId: null,
          createdAtMs: nowMs,
          createdBy: "kiosk:1",
          approvedBy: null,
          approvedAtMs: null,
          noticeEndsAtMs: null,
        });
        postEntry(db, id, nowMs);
      }).immediate();
      return;
    }
    case "expire":
      expireYear(db, audit, STAFF[0], l.villageId, new Date(nowMs).getUTCFullYear() - 1);
      return;
  }
}

function checkInvariants(db: Database, snapshots: Map<number, string>): void {
  const wrong = db
    .query<{ id: number }, []>(
      `SELECT h.id FROM households h LEFT JOIN (SELECT household_id, sum(points) AS total FROM entries WHERE status = 'posted' GROUP BY household_id) t ON t.household_id = h.id
       WHERE h.balance <> coalesce(t.total, 0)`,
    )
    .all();
  expect(wrong).toEqual([]);
  const posted = db
    .query<Record<string, unknown> & { id: number }, []>(
      "SELECT * FROM entries WHERE status = 'posted'",
    )
    .all();
  // The honour score kept on each household (migrations/0019) is the sum of its posted awards and
  // deductions and of the posted reversals of those, counted here in JavaScript from the rows, and
  // what the statements compute from the ledger; redemptions, voids and expiry never move it.
  const kindOf = new Map(
    db
      .query<{ id: number; kind: string }, []>("SELECT id, kind FROM entries")
      .all()
      .map((e) => [e.id, e.kind]),
  );
  const earned = new Map<number, number>();
  for (const e of posted as unknown as {
    household_id: number;
    kind: string;
    points: number;
    reverses_id: number | null;
  }[]) {
    const counts =
      e.kind === "award" ||
      e.kind === "deduction" ||
      (e.kind === "reversal" &&
        ["award", "deduction"].includes(kindOf.get(e.reverses_id ?? 0) ?? ""));
    if (counts) earned.set(e.household_id, (earned.get(e.household_id) ?? 0) + e.points);
  }
  for (const h of db
    .query<{ id: number; honour: number }, []>("SELECT id, honour FROM households")
    .all()) {
    expect({ household: h.id, honour: h.honour }).toEqual({
      household: h.id,
      honour: earned.get(h.id) ?? 0,
    });
    expect(honourScore(db, h.id)).toBe(h.honour);
  }
  expectMonthlySums(db, posted as unknown as PostedRow[], kindOf);
  for (const row of posted) {
    const now = JSON.stringify(row);
    const before = snapshots.get(row.id);
    if (before === undefined) snapshots.set(row.id, now);
    else expect(now).toBe(before);
  }
  // Every entry once posted is still posted.
  expect(posted.length).toBe(snapshots.size);
  expect(
    db
      .query(
        "SELECT reverses_id FROM entries WHERE reverses_id IS NOT NULL GROUP BY reverses_id HAVING count(*) > 1",
      )
      .all(),
  ).toEqual([]);
  expect(
    db.query("SELECT id FROM entries WHERE kind = 'expiry' AND balance_after < 0").all(),
  ).toEqual([]);
  expect(verifyLedger(db).ok).toBe(true);
}

type PostedRow = {
  id: number;
  village_id: number;
  household_id: number;
  kind: string;
  category: string | null;
  points: number;
  occurred_on: string;
  reverses_id: number | null;
};

/** The kind an entry counts under in reports: a reversal's is the kind it reverses. */
const countedKind = (e: PostedRow, kindOf: Map<number, string>): string =>
  e.kind === "reversal" ? (kindOf.get(e.reverses_id ?? 0) ?? "reversal") : e.kind;

/**
 * The monthly sums the reports read (migrations/0022, kept by triggers) equal a recount of the
 * posted entries in JavaScript, row for row.
 */
function expectMonthlySums(db: Database, posted: PostedRow[], kindOf: Map<number, string>): void {
  const villages = new Map<string, number>();
  const households = new Map<string, { earned: number; earns: number }>();
  for (const e of posted) {
    const kind = countedKind(e, kindOf);
    const month = e.occurred_on.slice(0, 7);
    const v = `${month}|${e.village_id}|${kind}|${e.category ?? ""}`;
    villages.set(v, (villages.get(v) ?? 0) + e.points);
    if (!["award", "deduction", "redemption"].includes(kind)) continue;
    const h = `${month}|${e.village_id}|${e.household_id}`;
    const earns = kind === "award" || kind === "deduction";
    const was = households.get(h) ?? { earned: 0, earns: 0 };
    households.set(h, {
      earned: was.earned + (earns ? e.points : 0),
      earns: earns ? 1 : was.earns,
    });
  }
  const stored = (sql: string) =>
    db
      .query<Record<string, string | number>, []>(sql)
      .all()
      .map((r) => Object.values(r).join("|"))
      .sort();
  expect(
    stored("SELECT month, village_id, kind, category, points FROM report_village_months"),
  ).toEqual([...villages].map(([k, points]) => `${k}|${points}`).sort());
  expect(
    stored("SELECT month, village_id, household_id, earned, earns FROM report_household_months"),
  ).toEqual([...households].map(([k, h]) => `${k}|${h.earned}|${h.earns}`).sort());
}

/**
 * A report of the period, recounted from the posted entries in JavaScript: what `buildReport`
 * (and `periodTotals`) answers, whether it reads the monthly sums (whole months), the entries (the days outside them)
 * or both.
 */
function expectReport(db: Database, from: string, to: string): void {
  const kindOf = new Map(
    db
      .query<{ id: number; kind: string }, []>("SELECT id, kind FROM entries")
      .all()
      .map((e) => [e.id, e.kind]),
  );
  const posted = db
    .query<PostedRow, []>("SELECT * FROM entries WHERE status = 'posted'")
    .all()
    .filter((e) => e.occurred_on >= from && e.occurred_on <= to);
  const totals = { awarded: 0, deducted: 0, redeemed: 0, expired: 0, net: 0 };
  const byCategory = new Map<string, number>();
  const active = new Set<number>();
  const activeByMonth = new Map<string, Set<number>>();
  const earned = new Map<number, number>();
  for (const e of posted) {
    const kind = countedKind(e, kindOf);
    if (kind === "award") totals.awarded += e.points;
    if (kind === "deduction") totals.deducted -= e.points;
    if (kind === "redemption") totals.redeemed -= e.points;
    if (kind === "expiry") totals.expired -= e.points;
    totals.net += e.points;
    const category = e.category ?? (kind === "redemption" ? "supermarket" : kind);
    byCategory.set(category, (byCategory.get(category) ?? 0) + e.points);
    if (["award", "deduction", "redemption"].includes(kind)) {
      active.add(e.household_id);
      const month = e.occurred_on.slice(0, 7);
      (activeByMonth.get(month) ?? activeByMonth.set(month, new Set()).get(month)!).add(
        e.household_id,
      );
    }
    if (kind === "award" || kind === "deduction")
      earned.set(e.household_id, (earned.get(e.household_id) ?? 0) + e.points);
  }
  const village = db.query<VillageRow, []>("SELECT * FROM villages").get()!;
  const report = buildReport(db, [village], from, to, { bottomList: true });
  expect({ from, to, totals: report.totals }).toEqual({ from, to, totals });
  expect(report.byCategory.map((c) => [c.category, c.net])).toEqual(
    [...byCategory].sort(([a], [b]) => a.localeCompare(b)),
  );
  expect(report.householdsActive).toBe(active.size);
  // The start page's and the today page's figures, counted the same way.
  expect(periodTotals(db, [village.id], from, to)).toEqual({
    totals,
    householdsActive: active.size,
  });
  expect(report.activeByMonth.map((m) => [m.month, m.active])).toEqual(
    monthsBetween(from, to).map((m) => [m, activeByMonth.get(m)?.size ?? 0]),
  );
  // The bottom list ranks every household with an award or a deduction in the period by what it earned.
  expect(
    report.honourBoard.bottom!.map((h) => [h.householdId, h.earned]).sort(([a], [b]) => a! - b!),
  ).toEqual(
    [...earned]
      .sort(([a, x], [b, y]) => x - y || a - b)
      .slice(0, HONOUR_BOARD_SIZE)
      .sort(([a], [b]) => a - b),
  );
}

const settingsArb = fc.record({ noticeDays: fc.constantFrom(0, 2), requireApproval: fc.boolean() });

test("balances, posted entries, reversals and the chain hold over random sequences of operations", () => {
  fc.assert(
    fc.property(
      settingsArb,
      fc.array(opArb, { minLength: 10, maxLength: 80, size: "max" }),
      (settings, ops) => {
        const l = openLedgerDb(":memory:", {
          households: H,
          ...settings,
          pointsExpire: true,
          nowMs: T0_MS,
        });
        try {
          let nowMs = T0_MS;
          const snapshots = new Map<number, string>();
          for (const op of ops) {
            if (op.t === "advance") nowMs += op.hours * (DAY_MS / 24);
            apply(l, op, nowMs);
            checkInvariants(l.db, snapshots);
          }
          // Whole months (the monthly sums), a part of one (the entries) and both at once.
          for (const [from, to] of [
            ["2026-11-01", "2026-11-30"],
            ["2026-12-01", "2026-12-31"],
            ["2026-11-21", "2026-12-15"],
            ["2026-11-25", "2027-01-31"],
            ["2026-12-02", "2026-12-02"],
          ] as const)
            expectReport(l.db, from, to);
          if (process.env["LEDGER_STATS"])
            console.log(
              JSON.stringify(
                l.db
                  .query("SELECT kind, status, count(*) n FROM entries GROUP BY kind, status")
                  .all(),
              ),
            );
        } finally {
          l.db.close();
        }
      },
    ),
    { numRuns: 60 },
  );
});

const TAMPERED_COLUMNS = [...CHAINED_COLUMNS, "hash", "status"] as const;

test("any single raw-SQL edit of a posted entry's field is caught by verify", () => {
  fc.assert(
    fc.property(
      fc.array(opArb, { minLength: 5, maxLength: 40, size: "max" }),
      fc.nat(),
      fc.constantFrom(...TAMPERED_COLUMNS),
      (ops, pickEntry, column) => {
        const l = openLedgerDb(":memory:", {
          households: H,
          noticeDays: 0,
          requireApproval: false,
          pointsExpire: true,
          nowMs: T0_MS,
        });
        try {
          const db = l.db;
          // At least one posted entry to tamper with.
          recordEntry(db, systemAudit(T0_MS), STAFF[0], {
            householdId: l.householdIds[0]!,
            ruleId: l.rules.plus,
          });
          let nowMs = T0_MS;
          for (const op of ops) {
            if (op.t === "advance") nowMs += op.hours * (DAY_MS / 24);
            apply(l, op, nowMs);
          }
          expect(verifyLedger(db).ok).toBe(true);
          const posted = db
            .query<{ id: number }, []>(
              "SELECT id FROM entries WHERE status = 'posted' ORDER BY seq",
            )
            .all();
          const target = posted[pickEntry % posted.length]!.id;
          const current = db
            .query<Record<string, string | number | null>, [number]>(
              `SELECT ${column} AS v FROM entries WHERE id = ?`,
            )
            .get(target)!["v"];
          // Values no row holds, so UNIQUE columns (seq, id, reverses_id) accept the edit.
          const changed =
            column === "status"
              ? "rejected"
              : current === null
                ? 1_000_007
                : typeof current === "number"
                  ? current + 1_000_003
                  : `${current}x`;
          db.run("DROP TRIGGER entries_posted_no_update");
          db.run("PRAGMA ignore_check_constraints = ON");
          db.run("PRAGMA foreign_keys = OFF");
          db.query(`UPDATE entries SET ${column} = ? WHERE id = ?`).run(changed, target);
          const result = verifyLedger(db);
          expect(result.ok).toBe(false);
        } finally {
          l.db.close();
        }
      },
    ),
    // The seed of a failing run can be replayed with FC_SEED.
    { numRuns: 150, ...(process.env["FC_SEED"] ? { seed: Number(process.env["FC_SEED"]) } : {}) },
  );
});
