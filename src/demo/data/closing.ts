// The closing scene: the last week before the demo's "now", staged so that whatever the day the
// demo is built on, a newcomer finds every part of the entry's life at work. The simulated year
// alone leaves the present to chance: built on 4 December 2026 nothing was on notice and the
// month had no awards, so the board, the card page and the reports looked empty.
//
// On top of the year, each village gets, through the same use cases:
// - a couple of everyday awards on each of the last seven days and a round of checks this
//   morning (today's before "now"): entries of every age on notice, so some end within three
//   days, and this month's awards posted wherever the notice period allows it (at once in a
//   village without one);
// - where the village asks for approval: a handful of entries the clerk recorded that wait for
//   the village admin, and two or three villagers' claims;
// - where it has a notice period: one or two residents' objections to yesterday's entries;
// - in every supermarket: a good or two sold down to a few units (low on stock).
//
// Pure, like the plan: the same seed and the same "now" give the same scene.

import { shanghaiDay, shanghaiDayStartMs } from "../../shared/calendar.ts";
import { CHINA_OFFSET_MS, DAY_MS, HOUR_MS, MINUTE_MS, type DemoPlan, type DemoVillage, type LedgerEvent } from "./plan.ts";
import { createRandom, type Random } from "./random.ts";

/** How many days, today included, the scene covers: longer than the longest notice period. */
export const CLOSING_DAYS = 7;
/**
 * Nothing of the simulated year or the scene happens in the last minutes before "now"; the
 * supermarket's sell-down happens there, after everything else, so no intake planned for today
 * can refill the shelf it empties.
 */
export const CLOSING_MARGIN_MS = 2 * MINUTE_MS;
/** The sell-down leaves the least-stocked good with 3 units and the next with 5. */
const SELL_DOWN_STOCK_MAX: readonly number[] = [3, 5];
/** Its sales, one unit each, this far apart, at most this many per good (the rest is written off). */
export const SELL_DOWN_STEP_MS = 1000;
export const SELL_DOWN_SALES_PER_GOOD_MAX = 12;
/** Each village's sell-down has this long to itself, all of them within the closing margin. */
const SELL_DOWN_VILLAGE_MS = (SELL_DOWN_STOCK_MAX.length * SELL_DOWN_SALES_PER_GOOD_MAX + 2) * SELL_DOWN_STEP_MS;

export interface ObjectionEvent {
  kind: "objection";
  dayMs: number;
  atMs: number;
  villageCode: string;
  /** The `tag` of the scene's award objected to. */
  tag: string;
  /** The household whose card the resident objects with (a neighbour, not the entry's own). */
  objectorIndex: number;
  reason: string;
}

/** Sells the village's least-stocked goods down to a few units each: `stockMax[i]` for the i-th. */
export interface SellDownEvent {
  kind: "sell-down";
  dayMs: number;
  atMs: number;
  villageCode: string;
  stockMax: readonly number[];
  /** Why the rest is written off if too few households can afford the good. */
  writeOffReason: string;
}

export type ClosingEvent = LedgerEvent | ObjectionEvent | SellDownEvent;

/** Everyday conduct the committee records, one rule each; all villages have these rules. */
const EVERYDAY: readonly { ruleCode: string; what: string }[] = [
  { ruleCode: "VOL-06", what: "陪独居老人到镇卫生院复查" },
  { ruleCode: "ENV-01", what: "垃圾分类入户抽查达标" },
  { ruleCode: "VOL-03", what: "森林防火巡查值守" },
  { ruleCode: "VOL-01", what: "清理村道两侧杂草和垃圾" },
  { ruleCode: "LAW-02", what: "调解邻里宅基地界址纠纷" },
];

/** Yesterday's awards that residents object to, with what they write. */
const DISPUTED: readonly { ruleCode: string; what: string; reason: (label: string) => string }[] = [
  { ruleCode: "VOL-01", what: "清理村道两侧杂草和垃圾", reason: (label) => `${label}清理村道时他家没有人来，是事后才补的名字，请村委会核实后再加分。` },
  { ruleCode: "LAW-02", what: "调解邻里宅基地界址纠纷", reason: () => "这次邻里纠纷是村调委会调解好的，他只是在场，这个加分请再核实。" },
];

/** What villagers claim (申报) and the clerk records for them. */
const CLAIMS: readonly { ruleCode: string; note: (label: string) => string }[] = [
  { ruleCode: "VOL-04", note: (label) => `村民申报：${label}在县中心血站无偿献血400毫升，献血证已交村委会` },
  { ruleCode: "ENV-07", note: () => "村民申报：自家旱厕已改为水冲式卫生厕所，请村委会上门验收" },
  { ruleCode: "CIV-01", note: () => "村民申报：老人丧事从简办理，未大操大办，已按村规报备" },
];

/** Households to try after the chosen one when a monthly cap refuses it. */
const FALLBACKS = 8;
const MORNING_ROUND_HOUSEHOLDS = 8;
const CLERK_BATCH_HOUSEHOLDS = 4;

function dayLabel(dayMs: number): string {
  const local = new Date(dayMs + CHINA_OFFSET_MS);
  return `${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
}

function dayKey(dayMs: number): string {
  return shanghaiDay(dayMs).replaceAll("-", "");
}

interface Stage {
  rng: Random;
  village: DemoVillage;
  admin: string;
  clerk: string;
  nowMs: number;
  todayMs: number;
  /** Households not yet given a part, in a shuffled order. */
  cast: number[];
  events: ClosingEvent[];
}

/**
 * When something planned for `offsetMs` into the day `k` days ago happens. Today's events that
 * would fall after "now" are squeezed into the part of today already gone, in the same order, so
 * that even a demo built just after midnight on the 1st has this month's entries.
 */
function timeOf(stage: Stage, k: number, offsetMs: number): number | null {
  const dayMs = stage.todayMs - k * DAY_MS;
  const latestMs = stage.nowMs - CLOSING_MARGIN_MS;
  const atMs = dayMs + offsetMs;
  if (atMs <= latestMs) return atMs;
  if (k > 0 || latestMs <= stage.todayMs) return null;
  return stage.todayMs + Math.floor(((latestMs - stage.todayMs) * offsetMs) / DAY_MS);
}

function nextHousehold(stage: Stage): number {
  const index = stage.cast.shift();
  if (index === undefined) {
    stage.cast = stage.rng.shuffle(stage.village.households.map((h) => h.index));
    return nextHousehold(stage);
  }
  return index;
}

function fallbacks(stage: Stage, index: number): number[] {
  const count = stage.village.households.length;
  return Array.from({ length: Math.min(FALLBACKS, count - 1) }, (_, i) => (index + 1 + i) % count);
}

function award(stage: Stage, k: number, offsetMs: number, ruleCode: string, note: string, by: string, extra: Partial<LedgerEvent> = {}): LedgerEvent | null {
  const rule = stage.village.rules.find((r) => r.code === ruleCode);
  const atMs = timeOf(stage, k, offsetMs);
  if (rule === undefined || atMs === null) return null;
  const householdIndex = nextHousehold(stage);
  const event: LedgerEvent = {
    kind: rule.points > 0 ? "award" : "deduction",
    dayMs: stage.todayMs - k * DAY_MS,
    atMs,
    villageCode: stage.village.code,
    householdIndex,
    ruleCode,
    points: rule.points,
    recordedBy: by,
    batch: null,
    note,
    fallbackIndexes: fallbacks(stage, householdIndex),
    ...extra,
  };
  stage.events.push(event);
  return event;
}

function minutesAfter(stage: Stage, startMs: number, spanMinutes: number): number {
  return startMs + stage.rng.int(0, spanMinutes) * MINUTE_MS;
}

/** Two everyday awards a day, recorded by the village admin (and approved by the clerk). */
function everyday(stage: Stage, disputable: boolean): void {
  for (let k = CLOSING_DAYS - 1; k >= 0; k -= 1) {
    const label = dayLabel(stage.todayMs - k * DAY_MS);
    const chosen = disputable && k === 1 ? DISPUTED : [EVERYDAY[(2 * k) % EVERYDAY.length]!, EVERYDAY[(2 * k + 1) % EVERYDAY.length]!];
    chosen.forEach((item, i) => {
      award(stage, k, minutesAfter(stage, 8 * HOUR_MS + 40 * MINUTE_MS, 100), item.ruleCode, `${label}${item.what}`, stage.admin, disputable && k === 1 ? { tag: `disputed-${i}` } : {});
    });
  }
}

/**
 * This morning's round of garbage-sorting checks, one batch: a board with this month's honour
 * list even on the 1st, where the village posts at once.
 */
function morningRound(stage: Stage): void {
  const rule = stage.village.rules.find((r) => r.code === "ENV-01");
  const atMs = timeOf(stage, 0, minutesAfter(stage, 8 * HOUR_MS + 30 * MINUTE_MS, 10));
  if (rule === undefined || atMs === null) return;
  const batch = `${stage.village.code}-${dayKey(stage.todayMs)}-closing-${rule.code}`;
  for (let i = 0; i < MORNING_ROUND_HOUSEHOLDS; i += 1) {
    const householdIndex = nextHousehold(stage);
    stage.events.push({
      kind: "award",
      dayMs: stage.todayMs,
      atMs,
      villageCode: stage.village.code,
      householdIndex,
      ruleCode: rule.code,
      points: rule.points,
      recordedBy: stage.admin,
      batch,
      note: `${dayLabel(stage.todayMs)}垃圾分类入户抽查`,
      fallbackIndexes: fallbacks(stage, householdIndex),
    });
  }
}

/** Residents object to one or two of yesterday's awards in the evening, from a neighbour's card. */
function objections(stage: Stage): void {
  const count = stage.rng.int(1, DISPUTED.length);
  const label = dayLabel(stage.todayMs - DAY_MS);
  for (let i = 0; i < count; i += 1) {
    const atMs = timeOf(stage, 1, minutesAfter(stage, 19 * HOUR_MS, 90));
    if (atMs === null) continue;
    stage.events.push({
      kind: "objection",
      dayMs: stage.todayMs - DAY_MS,
      atMs,
      villageCode: stage.village.code,
      tag: `disputed-${i}`,
      objectorIndex: nextHousehold(stage),
      reason: DISPUTED[i]!.reason(label),
    });
  }
}

/** What waits for the village admin: the clerk's records and the villagers' claims. */
function waiting(stage: Stage): void {
  const todayLabel = dayLabel(stage.todayMs);
  const batchAtMs = timeOf(stage, 0, minutesAfter(stage, 9 * HOUR_MS + 30 * MINUTE_MS, 20));
  const batchRule = stage.village.rules.find((r) => r.code === "VOL-05");
  if (batchAtMs !== null && batchRule !== undefined) {
    const batch = `${stage.village.code}-${dayKey(stage.todayMs)}-closing-VOL-05`;
    for (let i = 0; i < CLERK_BATCH_HOUSEHOLDS; i += 1) {
      const householdIndex = nextHousehold(stage);
      stage.events.push({
        kind: "award",
        dayMs: stage.todayMs,
        atMs: batchAtMs,
        villageCode: stage.village.code,
        householdIndex,
        ruleCode: batchRule.code,
        points: batchRule.points,
        recordedBy: stage.clerk,
        batch,
        note: `${todayLabel}入户宣传防范电信诈骗`,
        awaitsApproval: true,
        fallbackIndexes: fallbacks(stage, householdIndex),
      });
    }
  }
  award(stage, 1, minutesAfter(stage, 16 * HOUR_MS, 30), "LAW-04", "已缴纳下一年度城乡居民医保", stage.clerk, { awaitsApproval: true });
  award(stage, 0, minutesAfter(stage, 10 * HOUR_MS, 30), "LAW-04", "已缴纳下一年度城乡居民医保", stage.clerk, { awaitsApproval: true });
  const claims = stage.rng.int(2, CLAIMS.length);
  for (let i = 0; i < claims; i += 1) {
    const k = claims - 1 - i;
    const claim = CLAIMS[i]!;
    award(stage, k, minutesAfter(stage, 14 * HOUR_MS + 30 * MINUTE_MS, 60), claim.ruleCode, claim.note(dayLabel(stage.todayMs - (k + 1) * DAY_MS)), stage.clerk, { claim: true, awaitsApproval: true });
  }
}

/** Builds the closing scene of every village for a demo whose present is `nowMs`. */
export function closingScene(plan: DemoPlan, nowMs: number): ClosingEvent[] {
  if (plan.villages.length * SELL_DOWN_VILLAGE_MS >= CLOSING_MARGIN_MS) throw new Error("closing: the villages' sell-downs do not fit in the closing margin");
  const todayMs = shanghaiDayStartMs(shanghaiDay(nowMs));
  const root = createRandom(plan.seed).fork(`closing:${dayKey(todayMs)}`);
  const events: ClosingEvent[] = [];
  plan.villages.forEach((village, v) => {
    const admin = village.staff.find((s) => s.role === "village_admin")?.username;
    const clerk = village.staff.find((s) => s.role === "clerk")?.username;
    if (admin === undefined || clerk === undefined) throw new Error(`closing: village ${village.code} needs an admin and a clerk`);
    const rng = root.fork(village.code);
    const stage: Stage = { rng, village, admin, clerk, nowMs, todayMs, cast: rng.shuffle(village.households.map((h) => h.index)), events: [] };
    const { noticeDays, requireApproval } = village.settings;
    everyday(stage, noticeDays > 0);
    morningRound(stage);
    if (noticeDays > 0) objections(stage);
    if (requireApproval) waiting(stage);
    stage.events.push({
      kind: "sell-down",
      dayMs: todayMs,
      atMs: nowMs - CLOSING_MARGIN_MS + v * SELL_DOWN_VILLAGE_MS + SELL_DOWN_STEP_MS,
      villageCode: village.code,
      stockMax: SELL_DOWN_STOCK_MAX,
      writeOffReason: "盘点报损：外包装破损",
    });
    events.push(...stage.events);
  });
  // Stable: events at the same moment (a batch) keep their order.
  return events.sort((a, b) => a.atMs - b.atMs);
}
