/**
 * The demo's supermarket practice of issue 18, played through the real use cases after the field
 * practice, in the last seconds before the demo's present:
 * - gambling (LAW-06) and dishonest debtors (LAW-09) suspend a household's redemptions (一票否决)
 *   in every village, for 6 and 12 months; in the village that posts at once (no notice, no
 *   approval) one household is deducted under LAW-06 ten days ago, so it is suspended now;
 * - the second village's supermarket opens on Wednesday and Saturday mornings only;
 * - in the first village the clerk has recorded a home delivery (送奖上门) that waits to be
 *   confirmed.
 */
import type { Database } from "bun:sqlite";
import type { AuditContext } from "../audit/audit.ts";
import { recordEntry } from "../ledger/entry.ts";
import { updateRule } from "../ledger/rule.ts";
import { redeem } from "../market/redeem.ts";
import { updateVillage } from "../villages/village-store.ts";
import { shanghaiDay } from "../shared/calendar.ts";
import { DAY_MS, SECOND_MS } from "../shared/clock.ts";
import type { LedgerResult } from "../ledger/refusal.ts";
import type { DemoPlan } from "./data/plan.ts";
import { SUSPENDING_RULES } from "./data/rules.ts";
import type { VillageRefs } from "./activity.ts";

const SUSPENDED_DAYS_AGO = 10;
/** The household deducted (by its place in the village's list): not the sample card's, not in the rounds. */
const SUSPENDED_HOUSEHOLD = 30;
/** The household that gets its goods at home: the one with the most points among these. */
const DELIVERY_CANDIDATES = 40;
const OPENING_HOURS = { weekdays: [3, 6], opens: "08:00", closes: "11:30" };

export type MarketPracticeCounts = {
  suspended: string | null;
  suspendedUntilMonths: number;
  deliveriesWaiting: number;
  villageWithHours: string | null;
};

function must<T>(result: LedgerResult<T>, what: string): T {
  if (!result.ok)
    throw new Error(`demo market practice: ${what}: ${result.reason}: ${result.detail}`);
  return result.value;
}

export function playMarketPractice(
  db: Database,
  plan: DemoPlan,
  refs: Map<string, VillageRefs>,
  nowMs: number,
): MarketPracticeCounts {
  const counts: MarketPracticeCounts = {
    suspended: null,
    suspendedUntilMonths: 0,
    deliveriesWaiting: 0,
    villageWithHours: null,
  };
  // From twenty seconds before the present (the field practice used the minute before that), a second apart.
  let tick = nowMs - 20 * SECOND_MS;
  const user = db.query<{ id: number; username: string }, [string]>(
    "SELECT id, username FROM users WHERE username = ?",
  );
  const at = (id: number): AuditContext => ({
    actorKind: "user",
    actorId: String(id),
    address: "local",
    requestId: "demo",
    nowMs: (tick += SECOND_MS),
  });
  const ruleId = db.query<{ id: number }, [number, string]>(
    "SELECT id FROM rules WHERE village_id = ? AND code = ?",
  );

  plan.villages.forEach((village, v) => {
    const ref = refs.get(village.code)!;
    const admin = user.get(village.staff.find((s) => s.role === "village_admin")!.username)!;
    const clerk = user.get(village.staff.find((s) => s.role === "clerk")!.username)!;
    for (const [code, months] of Object.entries(SUSPENDING_RULES)) {
      const rule = ruleId.get(ref.villageId, code);
      if (rule !== null)
        must(
          updateRule(db, at(admin.id), rule.id, { suspendMonths: months }),
          `suspend under ${code}`,
        );
    }

    // A deduction that posts at once, in the village without notice or approval.
    const gambling = ruleId.get(ref.villageId, "LAW-06");
    const householdId =
      ref.householdIds[Math.min(SUSPENDED_HOUSEHOLD, ref.householdIds.length - 1)];
    if (
      counts.suspended === null &&
      !village.settings.requireApproval &&
      village.settings.noticeDays === 0 &&
      gambling !== null &&
      householdId !== undefined
    ) {
      const occurredOn = shanghaiDay(tick - SUSPENDED_DAYS_AGO * DAY_MS);
      const entry = must(
        recordEntry(
          db,
          at(clerk.id),
          { username: clerk.username },
          { householdId, ruleId: gambling.id, occurredOn, note: "派出所通报" },
        ),
        "gambling deduction",
      );
      if (entry.status === "posted") {
        counts.suspended = db
          .query<{ head_name: string }, [number]>("SELECT head_name FROM households WHERE id = ?")
          .get(householdId)!.head_name;
        counts.suspendedUntilMonths = SUSPENDING_RULES["LAW-06"]!;
      }
    }

    if (v === 1) {
      updateVillage(db, ref.villageId, { openingHours: OPENING_HOURS });
      counts.villageWithHours = village.name;
    }

    if (v === 0) {
      // The clerk sells for a household that cannot come: the cheapest good in stock, to the one
      // with the most points, carried to the door later (waiting to be confirmed).
      const candidates = ref.householdIds.slice(0, DELIVERY_CANDIDATES);
      const richest = db
        .query<{ id: number; balance: number }, number[]>(
          `SELECT id, balance FROM households WHERE id IN (${candidates.map(() => "?").join(",")}) ORDER BY balance DESC LIMIT 1`,
        )
        .get(...candidates);
      const good = db
        .query<{ id: number; price_points: number }, [number]>(
          "SELECT id, price_points FROM goods WHERE village_id = ? AND active = 1 AND stock >= 2 ORDER BY price_points LIMIT 1",
        )
        .get(ref.villageId);
      if (richest !== null && good !== null && richest.balance >= good.price_points * 2) {
        const sold = redeem(db, at(clerk.id), {
          cardCode: null,
          householdId: richest.id,
          delivery: true,
          opener: `user:${clerk.id}`,
          items: [{ goodsId: good.id, quantity: 2 }],
          sellerVillageId: ref.villageId,
          createdBy: `user:${clerk.id}`,
          kioskId: null,
          idempotency: null,
        });
        if (!sold.ok) throw new Error(`demo market practice: delivery sale: ${sold.detail}`);
        counts.deliveriesWaiting++;
      }
    }
  });
  return counts;
}
