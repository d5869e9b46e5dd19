/**
 * Plays the demo plan's year through the real use cases, each at the moment it happened: rules
 * and goods first, then every award, deduction, approval, intake and sale in time order, with
 * entries posted as their public notice ends. Nothing is written around the use cases, so the
 * demo's ledger verifies like a real one.
 */
import type { Database } from "bun:sqlite";
import { systemAudit, type AuditContext } from "../audit/audit.ts";
import { createRule } from "../ledger/rule.ts";
import { approveEntry, recordBatch, recordEntry, type StaffRef } from "../ledger/entry.ts";
import { postDueEntries } from "../ledger/posting.ts";
import { createGoods, intakeStock } from "../market/goods.ts";
import { redeem } from "../market/redeem.ts";
import type { DemoEvent, DemoPlan, LedgerEvent } from "./data/plan.ts";
import { HOUR_MS } from "../shared/clock.ts";
import { shanghaiDay } from "../shared/calendar.ts";

export type VillageRefs = {
  villageId: number;
  householdIds: number[];
  cardTokens: string[];
  kioskId: number;
};

export type ActivityCounts = { entries: number; approved: number; sales: number; refused: number; intakes: number };

/** An approval comes a couple of hours after the entry, from the other committee member. */
const APPROVAL_DELAY_MS = 2 * HOUR_MS;

export function playActivity(db: Database, plan: DemoPlan, refs: Map<string, VillageRefs>, todayMs: number): ActivityCounts {
  const counts: ActivityCounts = { entries: 0, approved: 0, sales: 0, refused: 0, intakes: 0 };
  const audit = (atMs: number, actor: string): AuditContext => ({ ...systemAudit(atMs, "demo"), actorKind: "user", actorId: actor });
  const ruleIds = new Map<string, number>();
  const goodsIds = new Map<string, number>();
  const adminOf = new Map<string, string>();
  const clerkOf = new Map<string, string>();

  for (const village of plan.villages) {
    const ref = refs.get(village.code)!;
    adminOf.set(village.code, village.staff.find((s) => s.role === "village_admin")!.username);
    clerkOf.set(village.code, village.staff.find((s) => s.role === "clerk")!.username);
    for (const rule of village.rules) {
      const created = createRule(db, audit(plan.startDayMs, adminOf.get(village.code)!), ref.villageId, { code: rule.code, title: rule.title, category: rule.category, points: rule.points, monthlyCap: rule.monthlyCap ?? null });
      if (created.ok) ruleIds.set(`${village.code}/${rule.code}`, created.value.id);
    }
    for (const good of village.goods) {
      const created = createGoods(db, audit(plan.startDayMs, adminOf.get(village.code)!), {
        villageId: ref.villageId,
        name: good.name,
        pricePoints: good.pricePoints,
        stock: good.stock,
        category: good.category,
        imageUrl: `/goods/${good.image}`,
        createdBy: adminOf.get(village.code)!,
      });
      goodsIds.set(`${village.code}/${good.sku}`, Number(created.id));
    }
  }

  const approve = (villageCode: string, recordedBy: string, entryIds: number[], atMs: number) => {
    // Four eyes: the other committee member approves.
    const approver: StaffRef = { username: recordedBy === adminOf.get(villageCode) ? clerkOf.get(villageCode)! : adminOf.get(villageCode)! };
    for (const id of entryIds) {
      if (approveEntry(db, audit(atMs + APPROVAL_DELAY_MS, approver.username), approver, id).ok) counts.approved++;
    }
  };

  const events = plan.events;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (event.atMs > todayMs) break;
    postDueEntries(db, event.atMs);
    const ref = refs.get(event.villageCode)!;
    const village = plan.villages.find((v) => v.code === event.villageCode)!;
    if (event.kind === "award" || event.kind === "deduction") {
      // Consecutive events of one batch (everyone at Saturday's cleanup) are one batch entry.
      const batch: LedgerEvent[] = [event];
      while (event.batch !== null && events[i + 1]?.kind === event.kind && (events[i + 1] as LedgerEvent).batch === event.batch) batch.push(events[++i] as LedgerEvent);
      const ruleId = ruleIds.get(`${event.villageCode}/${event.ruleCode}`);
      if (ruleId === undefined) continue;
      const by: StaffRef = { username: event.recordedBy };
      const common = { ruleId, occurredOn: shanghaiDay(event.atMs), ...(event.note ? { note: event.note } : {}) };
      const result =
        batch.length > 1
          ? recordBatch(db, audit(event.atMs, by.username), by, { ...common, householdIds: batch.map((e) => ref.householdIds[e.householdIndex]!) })
          : recordEntry(db, audit(event.atMs, by.username), by, { ...common, householdId: ref.householdIds[event.householdIndex]! });
      if (!result.ok) continue;
      const rows = Array.isArray(result.value) ? result.value : [result.value];
      counts.entries += rows.length;
      if (village.settings.requireApproval && event.atMs + APPROVAL_DELAY_MS <= todayMs) approve(event.villageCode, by.username, rows.map((r) => r.id), event.atMs);
    } else if (event.kind === "redemption") {
      const sale = redeem(db, { ...systemAudit(event.atMs, "demo"), actorKind: "kiosk", actorId: String(ref.kioskId) }, {
        cardCode: ref.cardTokens[event.householdIndex]!,
        items: event.items.map((item) => ({ goodsId: goodsIds.get(`${event.villageCode}/${item.sku}`)!, quantity: item.quantity })),
        sellerVillageId: ref.villageId,
        createdBy: `kiosk:${ref.kioskId}`,
        kioskId: ref.kioskId,
        idempotency: null,
      });
      if (sale.ok) counts.sales++;
      else counts.refused++;
    } else if (event.kind === "intake") {
      for (const item of event.items) {
        const intake = intakeStock(db, audit(event.atMs, event.recordedBy), { goodsId: goodsIds.get(`${event.villageCode}/${item.sku}`)!, quantity: item.quantity, reason: "进货", createdBy: event.recordedBy });
        if (intake.ok) counts.intakes++;
      }
    }
  }
  postDueEntries(db, todayMs);
  return counts;
}

export type { DemoEvent };
