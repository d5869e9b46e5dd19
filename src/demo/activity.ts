/**
 * Plays the demo plan's year and its closing scene through the real use cases, each at the moment
 * it happened: rules and goods first, then every award, deduction, approval, claim, objection,
 * intake and sale in time order, with entries posted as their public notice ends. Nothing is
 * written around the use cases, so the demo's ledger verifies like a real one.
 */
import type { Database } from "bun:sqlite";
import { systemAudit, type AuditContext } from "../audit/audit.ts";
import { createRule, createRuleTemplate } from "../ledger/rule.ts";
import { RULE_CATALOGUE, SUSPENDING_RULES } from "./data/rules.ts";
import {
  approveEntry,
  objectToEntry,
  recordBatch,
  recordEntry,
  type StaffRef,
} from "../ledger/entry.ts";
import { postDueEntries } from "../ledger/posting.ts";
import { createGoods, intakeStock, writeOffStock } from "../market/goods.ts";
import { redeem } from "../market/redeem.ts";
import type { DemoEvent, DemoPlan, DemoVillage, LedgerEvent } from "./data/plan.ts";
import {
  CLOSING_MARGIN_MS,
  SELL_DOWN_SALES_PER_GOOD_MAX,
  SELL_DOWN_STEP_MS,
  type ClosingEvent,
  type ObjectionEvent,
  type SellDownEvent,
} from "./data/closing.ts";
import { HOUR_MS } from "../shared/clock.ts";
import { shanghaiDay } from "../shared/calendar.ts";
import { assert } from "../shared/assert.ts";

export type VillageRefs = {
  villageId: number;
  householdIds: number[];
  cardTokens: string[];
  kioskId: number;
};

export type ActivityCounts = {
  entries: number;
  approved: number;
  sales: number;
  refused: number;
  intakes: number;
  claims: number;
  objections: number;
  soldDown: number;
  writtenOff: number;
};

/** The sources of the demo's stock, taken in turn: donors by name, the government's fund, the village's own income. */
const INTAKE_SOURCES: readonly {
  source: "donation" | "government" | "village" | "other";
  donor: string | null;
  reason: string;
}[] = [
  { source: "donation", donor: "青石镇供销社", reason: "年货捐赠" },
  { source: "government", donor: null, reason: "乡村振兴专项资金采购" },
  { source: "village", donor: null, reason: "村集体经济收入采购" },
  { source: "donation", donor: "县农商银行青石支行", reason: "爱心捐赠" },
  { source: "government", donor: null, reason: "乡村振兴专项资金采购" },
  { source: "donation", donor: "青石建材有限公司", reason: "企业结对帮扶" },
  { source: "other", donor: null, reason: "进货" },
];

/** An approval comes a couple of hours after the entry, from the other committee member. */
const APPROVAL_DELAY_MS = 2 * HOUR_MS;

type Played = DemoEvent | ClosingEvent;

/**
 * Plays the year's events up to a couple of minutes before `nowMs`, merged with the closing
 * scene's (closing.ts), then posts what is due at `nowMs`.
 */
export function playActivity(
  db: Database,
  plan: DemoPlan,
  refs: Map<string, VillageRefs>,
  nowMs: number,
  scene: readonly ClosingEvent[] = [],
): ActivityCounts {
  const counts: ActivityCounts = {
    entries: 0,
    approved: 0,
    sales: 0,
    refused: 0,
    intakes: 0,
    claims: 0,
    objections: 0,
    soldDown: 0,
    writtenOff: 0,
  };
  const audit = (atMs: number, actor: string): AuditContext => ({
    ...systemAudit(atMs, "demo"),
    actorKind: "user",
    actorId: actor,
  });
  const ruleIds = new Map<string, number>();
  const goodsIds = new Map<string, number>();
  const adminOf = new Map<string, string>();
  const clerkOf = new Map<string, string>();
  const villages = new Map<string, DemoVillage>(plan.villages.map((v) => [v.code, v]));
  /** Entries the scene named, for its objections. */
  const tagged = new Map<string, number>();

  // The township's rule templates, as its administrator keeps them: the catalogue every village's
  // rules started from, the gambling and dishonest-debtor deductions suspending (一票否决).
  const townshipAdmin = plan.staff.find((s) => s.role === "township_admin")!.username;
  for (const rule of RULE_CATALOGUE) {
    const made = createRuleTemplate(db, audit(plan.startDayMs, townshipAdmin), {
      code: rule.code,
      title: rule.title,
      category: rule.category,
      points: rule.points,
      monthlyCap: rule.monthlyCap,
      suspendMonths: SUSPENDING_RULES[rule.code] ?? null,
    });
    assert(made.ok, `the demo's template ${rule.code} was refused`);
  }

  for (const village of plan.villages) {
    const ref = refs.get(village.code)!;
    adminOf.set(village.code, village.staff.find((s) => s.role === "village_admin")!.username);
    clerkOf.set(village.code, village.staff.find((s) => s.role === "clerk")!.username);
    for (const rule of village.rules) {
      const created = createRule(
        db,
        audit(plan.startDayMs, adminOf.get(village.code)!),
        ref.villageId,
        {
          code: rule.code,
          title: rule.title,
          category: rule.category,
          points: rule.points,
          monthlyCap: rule.monthlyCap ?? null,
        },
      );
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
    const approver: StaffRef = {
      username:
        recordedBy === adminOf.get(villageCode)
          ? clerkOf.get(villageCode)!
          : adminOf.get(villageCode)!,
    };
    for (const id of entryIds) {
      if (approveEntry(db, audit(atMs + APPROVAL_DELAY_MS, approver.username), approver, id).ok)
        counts.approved++;
    }
  };

  /** Records an event (or its batch); a single entry refused by a monthly cap goes to the next household offered. */
  const record = (event: LedgerEvent, batch: LedgerEvent[], ref: VillageRefs, ruleId: number) => {
    const by: StaffRef = { username: event.recordedBy };
    const common = {
      ruleId,
      occurredOn: shanghaiDay(event.atMs),
      ...(event.note ? { note: event.note } : {}),
      ...(event.claim ? { claim: true } : {}),
    };
    if (batch.length > 1) {
      const made = recordBatch(db, audit(event.atMs, by.username), by, {
        ...common,
        householdIds: batch.map((e) => ref.householdIds[e.householdIndex]!),
      });
      if (made.ok) return made.value;
    }
    const rows = [];
    for (const one of batch) {
      for (const index of [one.householdIndex, ...(one.fallbackIndexes ?? [])]) {
        const made = recordEntry(db, audit(event.atMs, by.username), by, {
          ...common,
          householdId: ref.householdIds[index]!,
        });
        if (made.ok) {
          rows.push(made.value);
          break;
        }
      }
    }
    return rows;
  };

  const playLedger = (event: LedgerEvent, batch: LedgerEvent[]) => {
    const ref = refs.get(event.villageCode)!;
    const ruleId = ruleIds.get(`${event.villageCode}/${event.ruleCode}`);
    if (ruleId === undefined) return;
    const rows = record(event, batch, ref, ruleId);
    counts.entries += rows.length;
    if (event.claim) counts.claims += rows.length;
    if (event.tag !== undefined && rows[0] !== undefined)
      tagged.set(`${event.villageCode}/${event.tag}`, rows[0].id);
    const waits = event.claim === true || event.awaitsApproval === true;
    if (
      villages.get(event.villageCode)!.settings.requireApproval &&
      !waits &&
      event.atMs + APPROVAL_DELAY_MS <= nowMs
    ) {
      approve(
        event.villageCode,
        event.recordedBy,
        rows.map((r) => r.id),
        event.atMs,
      );
    }
  };

  const playObjection = (event: ObjectionEvent) => {
    const entryId = tagged.get(`${event.villageCode}/${event.tag}`);
    const cardToken = refs.get(event.villageCode)!.cardTokens[event.objectorIndex];
    if (entryId === undefined || cardToken === undefined) return;
    const made = objectToEntry(
      db,
      { ...systemAudit(event.atMs, "demo"), actorKind: "public" },
      { cardToken, entryId, reason: event.reason },
    );
    if (made.ok) counts.objections++;
  };

  const sellOne = (ref: VillageRefs, householdId: number, goodsId: number, atMs: number) => {
    const cardCode = ref.cardTokens[ref.householdIds.indexOf(householdId)];
    if (cardCode === undefined) return false;
    const sale = redeem(
      db,
      { ...systemAudit(atMs, "demo"), actorKind: "kiosk", actorId: String(ref.kioskId) },
      {
        cardCode,
        items: [{ goodsId, quantity: 1 }],
        sellerVillageId: ref.villageId,
        createdBy: `kiosk:${ref.kioskId}`,
        kioskId: ref.kioskId,
        idempotency: null,
      },
    );
    return sale.ok;
  };

  /** Sells the least-stocked goods down, one unit to each household that can afford it, writing off what is left over. */
  const playSellDown = (event: SellDownEvent) => {
    const ref = refs.get(event.villageCode)!;
    const goods = db
      .query<{ id: number; price_points: number; stock: number }, [number, number]>(
        "SELECT id, price_points, stock FROM goods WHERE village_id = ? AND active = 1 AND stock > 0 ORDER BY stock, id LIMIT ?",
      )
      .all(ref.villageId, event.stockMax.length);
    let atMs = event.atMs;
    goods.forEach((good, i) => {
      const stockMax = event.stockMax[i]!;
      let stock = good.stock;
      const buyers = db
        .query<{ id: number }, [number, number, number]>(
          "SELECT id FROM households WHERE village_id = ? AND balance >= ? ORDER BY balance DESC, id LIMIT ?",
        )
        .all(ref.villageId, good.price_points, SELL_DOWN_SALES_PER_GOOD_MAX);
      for (const buyer of buyers) {
        if (stock <= stockMax) break;
        atMs += SELL_DOWN_STEP_MS;
        if (sellOne(ref, buyer.id, good.id, atMs)) {
          stock -= 1;
          counts.soldDown++;
        }
      }
      if (stock > stockMax) {
        const clerk = clerkOf.get(event.villageCode)!;
        const written = writeOffStock(db, audit(atMs, clerk), {
          goodsId: good.id,
          quantity: stock - stockMax,
          reason: event.writeOffReason,
          createdBy: clerk,
        });
        if (written.ok) counts.writtenOff += stock - stockMax;
      }
    });
    assert(atMs <= nowMs, "the sell-down ends before the demo's now");
  };

  const cutoffMs = nowMs - CLOSING_MARGIN_MS;
  const events: Played[] = [];
  for (const event of plan.events) if (event.atMs <= cutoffMs) events.push(event);
  // Stable, with the year first: the scene's batch stays together among the year's events.
  events.push(...scene);
  events.sort((a, b) => a.atMs - b.atMs);

  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    postDueEntries(db, event.atMs);
    if (event.kind === "award" || event.kind === "deduction") {
      // Consecutive events of one batch (everyone at Saturday's cleanup) are one batch entry.
      const batch: LedgerEvent[] = [event];
      while (
        event.batch !== null &&
        events[i + 1]?.kind === event.kind &&
        (events[i + 1] as LedgerEvent).batch === event.batch
      )
        batch.push(events[++i] as LedgerEvent);
      playLedger(event, batch);
    } else if (event.kind === "objection") {
      playObjection(event);
    } else if (event.kind === "sell-down") {
      playSellDown(event);
    } else if (event.kind === "redemption") {
      const ref = refs.get(event.villageCode)!;
      const sale = redeem(
        db,
        { ...systemAudit(event.atMs, "demo"), actorKind: "kiosk", actorId: String(ref.kioskId) },
        {
          cardCode: ref.cardTokens[event.householdIndex]!,
          items: event.items.map((item) => ({
            goodsId: goodsIds.get(`${event.villageCode}/${item.sku}`)!,
            quantity: item.quantity,
          })),
          sellerVillageId: ref.villageId,
          createdBy: `kiosk:${ref.kioskId}`,
          kioskId: ref.kioskId,
          idempotency: null,
        },
      );
      if (sale.ok) counts.sales++;
      else counts.refused++;
    } else if (event.kind === "intake") {
      for (const item of event.items) {
        // Where the goods came from, in turn, as a village's supermarket is stocked (对账 by source).
        const from = INTAKE_SOURCES[counts.intakes % INTAKE_SOURCES.length]!;
        const intake = intakeStock(db, audit(event.atMs, event.recordedBy), {
          goodsId: goodsIds.get(`${event.villageCode}/${item.sku}`)!,
          quantity: item.quantity,
          reason: from.reason,
          source: from.source,
          donor: from.donor,
          createdBy: event.recordedBy,
        });
        if (intake.ok) counts.intakes++;
      }
    }
  }
  postDueEntries(db, nowMs);
  return counts;
}

export type { DemoEvent };
