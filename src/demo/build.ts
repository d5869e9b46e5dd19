/**
 * Fills a fresh database with the demo township from `buildDemoPlan` and its closing scene, through
 * the same stores and use cases the API uses, with each record's time set to when it happened in
 * the simulated year.
 */
import type { Database } from "bun:sqlite";
import { openDatabase } from "../db/open.ts";
import { migrate } from "../db/migrate.ts";
import { hashPassword, insertUser } from "../auth/users.ts";
import { newDeviceToken, principalFromDeviceToken } from "../auth/sessions.ts";

const KIOSK_LAST_SEEN_AGO_MS = 4 * 60 * 1000;
import { insertVillage, updateVillage } from "../villages/village-store.ts";
import { insertHousehold } from "../villages/household-store.ts";
import { insertCard } from "../villages/card-store.ts";
import { buildDemoPlan, DEMO_PASSWORD, type DemoPlan, type StaffRole } from "./data/plan.ts";
import { DAY_MS } from "../shared/clock.ts";
import { playActivity, type ActivityCounts, type VillageRefs } from "./activity.ts";
import { closingScene } from "./data/closing.ts";
import { playFieldPractice } from "./field.ts";
import { playMarketPractice } from "./market-practice.ts";
import { shanghaiDay, shanghaiDayStartMs } from "../shared/calendar.ts";
import { verifyLedger } from "../ledger/verify.ts";

export type DemoSummary = {
  townshipName: string;
  password: string;
  logins: { username: string; role: StaffRole; village: string | null }[];
  villages: {
    id: number;
    code: string;
    name: string;
    kioskToken: string;
    noticeDays: number;
    requireApproval: boolean;
  }[];
  sampleCardUrl: string;
  counts: ActivityCounts;
};

/** `nowMs`: the demo's present; the year of activity ends there, today's part included. */
export type DemoOptions = {
  seed: number;
  nowMs: number;
  publicUrl: string;
  log: (line: string) => void;
  householdsPerVillage?: number;
};

export const DEMO_DAYS = 365;
/** The demo is built from this seed: the same seed and day give the same township. */
export const DEMO_SEED = 20261123;

export async function buildDemoDatabase(path: string, options: DemoOptions): Promise<DemoSummary> {
  const startDayMs = shanghaiDayStartMs(shanghaiDay(options.nowMs)) - DEMO_DAYS * DAY_MS;
  // The year before today, and today itself up to "now".
  const plan = buildDemoPlan(options.seed, {
    startDayMs,
    days: DEMO_DAYS + 1,
    ...(options.householdsPerVillage ? { householdsPerVillage: options.householdsPerVillage } : {}),
  });
  const db = openDatabase(path);
  migrate(db, startDayMs);
  // A demo is built in one go on a fresh file: skip the per-commit fsync while filling it, then
  // go back to FULL before anything is served.
  db.run("PRAGMA synchronous = OFF");
  try {
    const { summary, refs } = fillFoundation(db, plan, options);
    options.log(
      `${plan.villages.reduce((n, v) => n + v.households.length, 0)} households in ${plan.villages.length} villages, ${plan.events.length} events planned`,
    );
    const counts = playActivity(db, plan, refs, options.nowMs, closingScene(plan, options.nowMs));
    options.log(
      `${counts.entries} entries (${counts.approved} approved, ${counts.claims} claims, ${counts.objections} objected to), ${counts.sales + counts.soldDown} sales (${counts.refused} refused), ${counts.intakes} stock intakes`,
    );
    const field = playFieldPractice(db, plan, refs, options.nowMs);
    options.log(
      `${field.rounds} inspection rounds (${field.roundEntries} entries submitted), ${field.statementsSigned} month-end statements signed, ${field.bankStatements} points statement for the bank`,
    );
    const market = playMarketPractice(db, plan, refs, options.nowMs);
    options.log(
      `${market.suspended ?? "nobody"} suspended from redemptions for ${market.suspendedUntilMonths} months (一票否决), ${market.villageWithHours ?? "no village"} open on Wednesday and Saturday mornings, ${market.deliveriesWaiting} home delivery waiting`,
    );
    // Each kiosk was last heard from a few minutes ago, as one that has been selling all morning.
    for (const v of summary.villages)
      principalFromDeviceToken(db, v.kioskToken, options.nowMs - KIOSK_LAST_SEEN_AGO_MS);
    const proof = verifyLedger(db);
    if (!proof.ok)
      throw new Error(`demo ledger does not verify: ${JSON.stringify(proof.brokenAt)}`);
    options.log(
      `ledger verified: ${proof.entries} posted entries, head ${proof.head.slice(0, 16)}…`,
    );
    return { ...summary, counts };
  } finally {
    db.run("PRAGMA synchronous = FULL");
    db.close();
  }
}

function fillFoundation(
  db: Database,
  plan: DemoPlan,
  options: DemoOptions,
): { summary: Omit<DemoSummary, "counts">; refs: Map<string, VillageRefs> } {
  const passwordHash = hashPassword(DEMO_PASSWORD);
  const villageIds = new Map<string, number>();
  const kioskTokens = new Map<string, string>();
  const refs = new Map<string, VillageRefs>();
  let sampleCardToken = "";
  db.transaction(() => {
    for (const v of plan.villages) {
      const row = insertVillage(db, { name: v.name, code: v.code, nowMs: plan.startDayMs });
      villageIds.set(v.code, row.id);
      const ref: VillageRefs = { villageId: row.id, householdIds: [], cardTokens: [], kioskId: 0 };
      refs.set(v.code, ref);
      updateVillage(db, row.id, {
        noticeDays: v.settings.noticeDays,
        requireApproval: v.settings.requireApproval,
        pointsExpire: v.settings.pointsExpireAtYearEnd,
        showBottomList: v.settings.showBottomList,
        starThresholds: v.settings.starThresholdsPoints,
      });
      for (const h of v.households) {
        const householdId = insertHousehold(
          db,
          row.id,
          {
            headName: h.headName,
            address: h.address.text,
            externalId: h.number,
            members: h.members.slice(1).map((m) => ({ name: m.name, relation: m.relation })),
          },
          plan.startDayMs,
        );
        const card = insertCard(db, householdId, row.id, plan.startDayMs);
        ref.householdIds.push(householdId);
        ref.cardTokens.push(card.token);
        if (sampleCardToken === "") sampleCardToken = card.token;
      }
      const { token, hash } = newDeviceToken();
      ref.kioskId = db
        .query<{ id: number }, [number, string, string, number]>(
          "INSERT INTO kiosks (village_id, name, token_hash, created_at_ms) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .get(row.id, v.kiosk.name, hash, plan.startDayMs)!.id;
      kioskTokens.set(v.code, token);
    }
    for (const s of plan.staff) {
      insertUser(db, {
        username: s.username,
        displayName: s.displayName,
        passwordHash,
        role: s.role,
        villageId: s.villageCode === null ? null : villageIds.get(s.villageCode)!,
        nowMs: plan.startDayMs,
      });
    }
  }).immediate();
  const summary: Omit<DemoSummary, "counts"> = {
    townshipName: plan.township.name,
    password: DEMO_PASSWORD,
    logins: plan.staff.map((s) => ({
      username: s.username,
      role: s.role,
      village:
        s.villageCode === null
          ? null
          : (plan.villages.find((v) => v.code === s.villageCode)?.name ?? null),
    })),
    villages: plan.villages.map((v) => ({
      id: villageIds.get(v.code)!,
      code: v.code,
      name: v.name,
      kioskToken: kioskTokens.get(v.code)!,
      noticeDays: v.settings.noticeDays,
      requireApproval: v.settings.requireApproval,
    })),
    sampleCardUrl: `${options.publicUrl}/c/${sampleCardToken}`,
  };
  return { summary, refs };
}
