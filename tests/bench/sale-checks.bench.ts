/**
 * What issue 18's checks add to a sale (in process, `:memory:`, no fsync): the opening hours and
 * the suspension are read with the household, in the sale's one read, as two more scalar
 * subqueries (the village's `opening_hours`, and EXISTS over the partial index
 * `entries_suspending`, empty for nearly every household). Measured:
 * - the household read as it was before issue 18 (baseline) against the read as it is now;
 * - the whole sale use case (`redeem`) for an ordinary household in a village without hours, and
 *   for the worst case: a village with hours (open now) and a household whose suspension has
 *   ended, so the suspension is read in full.
 * Median of 5 interleaved rounds. No target: the cost is reported against the sale's own.
 */
import { Database } from "bun:sqlite";
import { migrate } from "../../src/db/migrate.ts";
import { immediate } from "../../src/db/open.ts";
import { systemAudit } from "../../src/audit/audit.ts";
import { insertEntry, postEntry } from "../../src/ledger/entry-store.ts";
import { redeem } from "../../src/market/redeem.ts";
import { insertCard } from "../../src/villages/card-store.ts";
import { shanghaiDay } from "../../src/shared/calendar.ts";

const HOUSEHOLDS = 2_000;
const READS = 200_000;
const SALES = 5_000;
const ROUNDS = 5;
const NOW_MS = Date.UTC(2026, 2, 7, 2, 0, 0); // Saturday 7 March 2026, 10:00 in Beijing

const db = new Database(":memory:");
migrate(db, 0);
db.run(
  "INSERT INTO villages (name, code, created_at_ms) VALUES ('东河村', 'DH', 0), ('柳湾村', 'LW', 0)",
);
db.run(
  `UPDATE villages SET opening_hours = '{"weekdays":[6],"opens":"08:00","closes":"12:00"}' WHERE id = 2`,
);
const insertHousehold = db.query<{ id: number }, [number]>(
  "INSERT INTO households (village_id, head_name, head_initials, head_pinyin, created_at_ms) VALUES (?, '张三', 'zs', 'zhangsan', 0) RETURNING id",
);
const goods = db.query<{ id: number }, [number]>(
  "INSERT INTO goods (village_id, name, price_points, stock, created_at_ms, updated_at_ms) VALUES (?, '香皂', 1, 1000000, 0, 0) RETURNING id",
);
const soap = [goods.get(1)!.id, goods.get(2)!.id];

function household(villageId: number, points: number, suspendedDay: string | null): string {
  const id = insertHousehold.get(villageId)!.id;
  const card = insertCard(db, id, villageId, 0);
  immediate(db, () => {
    const award = insertEntry(db, {
      villageId,
      householdId: id,
      memberId: null,
      ruleId: null,
      kind: "award",
      status: "proposed",
      points,
      quantity: 1,
      ruleCode: null,
      ruleTitle: "bench",
      category: "other",
      note: null,
      occurredOn: "2026-01-01",
      reversesId: null,
      redemptionId: null,
      batchId: null,
      createdAtMs: 0,
      createdBy: "bench",
      approvedBy: null,
      approvedAtMs: null,
      noticeEndsAtMs: null,
    });
    postEntry(db, award, 0);
    if (suspendedDay !== null) {
      const deduction = insertEntry(db, {
        villageId,
        householdId: id,
        memberId: null,
        ruleId: null,
        kind: "deduction",
        status: "proposed",
        points: -1,
        quantity: 1,
        ruleCode: null,
        ruleTitle: "参与赌博",
        category: "law",
        note: null,
        occurredOn: suspendedDay,
        reversesId: null,
        redemptionId: null,
        batchId: null,
        createdAtMs: 0,
        createdBy: "bench",
        approvedBy: null,
        approvedAtMs: null,
        noticeEndsAtMs: null,
        suspendMonths: 1,
      });
      postEntry(db, deduction, 0);
    }
  });
  return card.token;
}
for (let i = 0; i < HOUSEHOLDS; i++) household(1, 10, null);
const ordinary = household(1, 1_000_000, null);
// Suspended for a month from 1 January: over by 7 March, but read in full on every sale.
const ended = household(2, 1_000_000, "2026-01-01");

const BEFORE = `SELECT h.id, h.village_id, h.balance, h.head_name, (SELECT name FROM villages WHERE id = h.village_id) AS village_name,
  (SELECT daily_redeem_limit_points FROM villages WHERE id = h.village_id) AS daily_redeem_limit_points,
  (SELECT require_pin_for_number FROM villages WHERE id = h.village_id) AS require_pin_for_number, h.pin_hash,
  (SELECT last_receipt_no FROM villages WHERE id = h.village_id) AS last_receipt_no,
  (SELECT coalesce(max(id), 0) + 1 FROM redemptions) AS next_redemption_id`;
const readBefore = db.query(`${BEFORE} FROM households h WHERE h.id = ?`);
const readNow = db.query(`${BEFORE},
  (SELECT opening_hours FROM villages WHERE id = h.village_id) AS opening_hours,
  EXISTS (SELECT 1 FROM entries INDEXED BY entries_suspending WHERE household_id = h.id AND suspend_months IS NOT NULL AND status = 'posted') AS may_be_suspended
  FROM households h WHERE h.id = ?`);

function reads(q: typeof readBefore): number {
  const t = Bun.nanoseconds();
  for (let i = 0; i < READS; i++) q.get((i % HOUSEHOLDS) + 1);
  return (Bun.nanoseconds() - t) / READS / 1000;
}

function sales(card: string, villageId: number): number {
  const audit = systemAudit(NOW_MS);
  const t = Bun.nanoseconds();
  for (let i = 0; i < SALES; i++) {
    const sold = redeem(db, audit, {
      cardCode: card,
      items: [{ goodsId: soap[villageId - 1]!, quantity: 1 }],
      sellerVillageId: villageId,
      createdBy: "kiosk:1",
      kioskId: null,
      idempotency: null,
    });
    if (!sold.ok) throw new Error(`bench sale refused: ${sold.detail}`);
  }
  return (Bun.nanoseconds() - t) / SALES / 1000;
}

const signed = (x: number, digits: number) => `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
reads(readBefore);
reads(readNow);
sales(ordinary, 1);
sales(ended, 2);
const r = {
  before: [] as number[],
  now: [] as number[],
  ordinary: [] as number[],
  worst: [] as number[],
};
for (let i = 0; i < ROUNDS; i++) {
  r.before.push(reads(readBefore));
  r.now.push(reads(readNow));
  r.ordinary.push(sales(ordinary, 1));
  r.worst.push(sales(ended, 2));
}
console.log(
  `sale checks (issue 18), in process, ${shanghaiDay(NOW_MS)}, median of ${ROUNDS} interleaved rounds:`,
);
console.log(
  `  household read before issue 18 ${median(r.before).toFixed(2)} µs, now ${median(r.now).toFixed(2)} µs (${signed(median(r.now) - median(r.before), 2)} µs)`,
);
console.log(`  a sale, ordinary household, no hours: ${median(r.ordinary).toFixed(1)} µs`);
console.log(
  `  a sale, hours set and a suspension read in full (ended): ${median(r.worst).toFixed(1)} µs (${signed((median(r.worst) / median(r.ordinary) - 1) * 100, 1)} %)`,
);
