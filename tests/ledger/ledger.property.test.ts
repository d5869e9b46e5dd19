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
