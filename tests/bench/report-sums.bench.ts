/**
 * What the reports' monthly sums (migrations/0022) add to every posted entry: two databases made
 * the same way (`:memory:`, so no fsync hides or swamps the cost), one with the triggers that keep
 * the sums and one with them dropped (the baseline); the same awards posted through
 * `recordEntry` (the use case every award takes) into each, interleaved, 5 rounds, median. The
 * honour score's triggers (0019) stay in both. No target: the cost is reported against the
 * award's own, and the HTTP benches (market, ledger) show whether it is visible at all.
 */
import type { Database } from "bun:sqlite";
import { systemAudit } from "../../src/audit/audit.ts";
import { recordEntry } from "../../src/ledger/entry.ts";
import { median } from "./stats.ts";
import { openLedgerDb, type LedgerDb } from "../support/ledger-db.ts";

const HOUSEHOLDS = 2_000;
const AWARDS = 5_000;
const ROUNDS = 5;
const NOW_MS = Date.UTC(2026, 2, 7, 2, 0, 0);

function world(withSums: boolean): LedgerDb {
  const l = openLedgerDb(":memory:", {
    households: HOUSEHOLDS,
    noticeDays: 0,
    requireApproval: false,
    pointsExpire: false,
    nowMs: NOW_MS,
  });
  if (!withSums)
    for (const t of ["report_months_on_insert", "report_months_on_post"])
      l.db.run(`DROP TRIGGER ${t}`);
  return l;
}

/** Posts AWARDS awards to random households and returns µs per award. */
function awards(l: LedgerDb, round: number): number {
  const audit = { ...systemAudit(NOW_MS), actorKind: "user" as const };
  const startMs = performance.now();
  for (let i = 0; i < AWARDS; i++) {
    const result = recordEntry(
      l.db,
      audit,
      { username: "clerk1" },
      {
        householdId: l.householdIds[(i * 7919 + round) % HOUSEHOLDS]!,
        ruleId: l.rules.plus,
        quantity: 1,
        claim: false,
        occurredOn: `2026-03-0${1 + (i % 7)}`,
      },
    );
    if (!result.ok) throw new Error(`an award was refused: ${JSON.stringify(result)}`);
  }
  return ((performance.now() - startMs) * 1000) / AWARDS;
}

function rows(db: Database, table: string): number {
  return db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
}

const withSums = world(true);
const without = world(false);
awards(withSums, 100); // warm-up: the JIT and the statement caches
awards(without, 100);
const timed = { withSums: [] as number[], without: [] as number[] };
for (let r = 0; r < ROUNDS; r++) {
  timed.without.push(awards(without, r));
  timed.withSums.push(awards(withSums, r));
}
if (
  rows(without.db, "report_household_months") !== 0 ||
  rows(withSums.db, "report_household_months") === 0
)
  throw new Error("the baseline kept monthly sums, or the measured world did not");
const fmt = (x: number) => x.toFixed(1);
const base = median(timed.without);
const sums = median(timed.withSums);
console.log(
  `an award posted through recordEntry, µs (in process, :memory:, ${AWARDS} a round, median of ${ROUNDS} interleaved rounds):`,
);
console.log(
  `  without the monthly sums' triggers (baseline): ${fmt(base)} (${timed.without.map(fmt).join(", ")})`,
);
console.log(`  with them: ${fmt(sums)} (${timed.withSums.map(fmt).join(", ")})`);
const signed = (x: number) => (x >= 0 ? `+${fmt(x)}` : fmt(x));
console.log(
  `  cost: ${signed(sums - base)} µs an award (${signed(((sums - base) / base) * 100)} %)`,
);
