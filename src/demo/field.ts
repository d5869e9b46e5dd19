/**
 * The demo's field practice (issue 18), played through the real use cases once the year is played:
 * in each village an inspection round (人居环境评比) scored a few days ago and submitted, its
 * entries approved and on public notice; a second round of the same households being scored
 * today (a draft, half done, so the grid has something to show); last month's supermarket
 * statement signed by the clerk and the village administrator (frozen); and, in the first village,
 * a points statement for the bank issued for the household of the sample card.
 *
 * It all happens in the last minute before the demo's present, after the closing scene, so it
 * never lands between events already played.
 */
import type { Database } from "bun:sqlite";
import type { AuditContext } from "../audit/audit.ts";
import { approveEntry } from "../ledger/entry.ts";
import {
  copyRound,
  createRound,
  scoreCell,
  submitRound,
  type RoundActor,
} from "../rounds/round.ts";
import { signMarketStatement } from "../market/reconciliation.ts";
import { issueStatement } from "../statements/statement.ts";
import { shanghaiDay, shanghaiMonth } from "../shared/calendar.ts";
import { DAY_MS, SECOND_MS } from "../shared/clock.ts";
import type { LedgerResult } from "../ledger/refusal.ts";
import type { DemoPlan } from "./data/plan.ts";
import type { VillageRefs } from "./activity.ts";

/** The round's columns: two awards and two deductions an inspection team scores at the door. */
const ROUND_RULES = ["ENV-02", "ENV-07", "ENV-04", "ENV-05"] as const;
/** Households the team visits: the first of the village's list. */
const ROUND_HOUSEHOLDS = 24;
/** The round was walked this many days before the demo's present. */
const ROUND_DAYS_AGO = 3;

export type FieldCounts = {
  rounds: number;
  roundEntries: number;
  statementsSigned: number;
  bankStatements: number;
};

type Staff = { id: number; username: string; displayName: string; role: "village_admin" | "clerk" };

function must<T>(result: LedgerResult<T>, what: string): T {
  if (!result.ok)
    throw new Error(`demo field practice: ${what}: ${result.reason}: ${result.detail}`);
  return result.value;
}

/** A month before `month` (YYYY-MM). */
function monthBefore(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** Which cell of the grid gets what: a fixed pattern that looks like a real walk (most doors pass, a few fail). */
function cellQuantity(householdIndex: number, ruleCode: (typeof ROUND_RULES)[number]): number {
  switch (ruleCode) {
    case "ENV-02":
      return householdIndex % 3 === 0 ? 1 : 0;
    case "ENV-07":
      return householdIndex % 7 === 2 ? 1 : 0;
    case "ENV-04":
      return householdIndex % 9 === 4 ? 1 : 0;
    case "ENV-05":
      return householdIndex % 11 === 6 ? 1 : 0;
  }
}

export function playFieldPractice(
  db: Database,
  plan: DemoPlan,
  refs: Map<string, VillageRefs>,
  nowMs: number,
): FieldCounts {
  const counts: FieldCounts = {
    rounds: 0,
    roundEntries: 0,
    statementsSigned: 0,
    bankStatements: 0,
  };
  // From a minute before the present, a second apart, in this order.
  let tick = nowMs - 60 * SECOND_MS;
  const at = (user: Staff): AuditContext => ({
    actorKind: "user",
    actorId: String(user.id),
    address: "local",
    requestId: "demo",
    nowMs: (tick += SECOND_MS),
  });
  const user = db.query<Staff, [string]>(
    "SELECT id, username, display_name AS displayName, role FROM users WHERE username = ?",
  );
  const ruleId = db.query<{ id: number }, [number, string]>(
    "SELECT id FROM rules WHERE village_id = ? AND code = ? AND active = 1",
  );
  // "Today" is the day of these last seconds (the present may be just past midnight).
  const today = shanghaiDay(tick);
  const roundDay = shanghaiDay(tick - ROUND_DAYS_AGO * DAY_MS);
  const lastMonth = monthBefore(shanghaiMonth(tick));

  plan.villages.forEach((village, v) => {
    const ref = refs.get(village.code)!;
    const admin = user.get(village.staff.find((s) => s.role === "village_admin")!.username)!;
    const clerk = user.get(village.staff.find((s) => s.role === "clerk")!.username)!;
    const asActor = (s: Staff): RoundActor => ({ actorId: `user:${s.id}`, username: s.username });
    const rules = ROUND_RULES.flatMap((code) => {
      const row = ruleId.get(ref.villageId, code);
      return row === null ? [] : [{ code, id: row.id }];
    });
    const households = ref.householdIds.slice(0, ROUND_HOUSEHOLDS);
    const monthName = `${Number(roundDay.slice(5, 7))}月`;

    // The round walked a few days ago: scored door by door by the clerk, submitted, approved by the admin.
    const round = must(
      createRound(db, at(clerk), asActor(clerk), {
        villageId: ref.villageId,
        name: `${monthName}人居环境评比`,
        day: roundDay,
        ruleIds: rules.map((r) => r.id),
        householdIds: households,
      }),
      "create round",
    );
    households.forEach((householdId, i) => {
      for (const rule of rules) {
        const quantity = cellQuantity(i, rule.code);
        if (quantity > 0)
          must(
            scoreCell(db, at(clerk), asActor(clerk), {
              roundId: round.id,
              householdId,
              ruleId: rule.id,
              quantity,
            }),
            "score",
          );
      }
    });
    const submitted = must(submitRound(db, at(clerk), asActor(clerk), round.id), "submit round");
    for (const id of submitted.entryIds) {
      // Where the village asks for approval, the other committee member gives it; elsewhere the entries are already on their way.
      const entry = db
        .query<{ status: string }, [number]>("SELECT status FROM entries WHERE id = ?")
        .get(id)!;
      if (entry.status === "proposed")
        must(approveEntry(db, at(admin), { username: admin.username }, id), "approve");
    }
    counts.rounds++;
    counts.roundEntries += submitted.entries;

    // Today's second walk of the same doors, half done.
    const again = must(
      copyRound(db, at(clerk), asActor(clerk), round.id, {
        name: `${monthName}人居环境复查`,
        day: today,
      }),
      "copy round",
    ).round;
    households.slice(0, ROUND_HOUSEHOLDS / 2).forEach((householdId, i) => {
      for (const rule of rules) {
        const quantity = cellQuantity(i + 1, rule.code);
        if (quantity > 0)
          must(
            scoreCell(db, at(clerk), asActor(clerk), {
              roundId: again.id,
              householdId,
              ruleId: rule.id,
              quantity,
            }),
            "score again",
          );
      }
    });
    counts.rounds++;

    // Last month's supermarket statement: the clerk signs, then the village administrator, which freezes it.
    must(
      signMarketStatement(db, at(clerk), ref.villageId, lastMonth, {
        userId: clerk.id,
        role: clerk.role,
        name: clerk.displayName,
      }),
      "clerk signs",
    );
    must(
      signMarketStatement(db, at(admin), ref.villageId, lastMonth, {
        userId: admin.id,
        role: admin.role,
        name: admin.displayName,
      }),
      "admin signs",
    );
    counts.statementsSigned++;

    // A points statement for the bank, for the sample card's household.
    if (v === 0) {
      must(
        issueStatement(db, at(clerk), ref.householdIds[0]!, `user:${clerk.id}`),
        "issue statement",
      );
      counts.bankStatements++;
    }
  });
  return counts;
}
