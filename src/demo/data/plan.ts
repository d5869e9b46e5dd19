// The demo plan: everything the demo script needs to fill a database for the demo township,
// as one plain, JSON-safe object. It is built from a seed and a start day alone (no clock, no
// Math.random, no I/O), so the same seed always gives the same township, the same 600
// households and the same year of awards, deductions, redemptions and stock intakes.
//
// The year is simulated day by day. The simulation keeps, per household, the points it may
// spend and, per village, the stock of each good, so no redemption in the plan overdraws a
// household and no redemption takes a good's stock below zero, whatever the notice periods.

import { GOODS_CATALOGUE, type Good } from "./goods.ts";
import { generateHousehold, pickGivenName, pickSurname, type Person } from "./names.ts";
import { DEMO_TOWNSHIP, DEMO_VILLAGES, generateAddresses, type Address, type Township, type VillagePlace } from "./places.ts";
import { createRandom, type Random } from "./random.ts";
import { villageRules, type Rule } from "./rules.ts";

/** The password of every demo staff account. Demo only: the demo database is public. */
export const DEMO_PASSWORD = "demo-password-2026";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
// Calendar dates (months, Saturdays, 12·4) are those of China Standard Time, which has no
// daylight saving, so a fixed offset is exact.
export const CHINA_OFFSET_MS = 8 * HOUR_MS;

/** 1 January 2025, 00:00 in China: the start day when the caller gives none. */
export const DEFAULT_START_DAY_MS = Date.UTC(2025, 0, 1) - CHINA_OFFSET_MS;
export const DEFAULT_DAYS = 365;
export const DEFAULT_HOUSEHOLDS_PER_VILLAGE = 200;

export interface DemoPlanOptions {
  householdsPerVillage?: number;
  /** Midnight of the first simulated day, in ms since the epoch. */
  startDayMs: number;
  days: number;
}

export interface VillageSettings {
  /** Days an approved entry stays on public notice before it counts; 0 posts at once. */
  noticeDays: number;
  /** Whether a second committee member must approve each entry. */
  requireApproval: boolean;
  /** What one point buys, in yuan. */
  pointValueYuan: number;
  pointsExpireAtYearEnd: boolean;
  /** Whether the honour board also shows the bottom of the ranking. */
  showBottomList: boolean;
  /** Points earned in a year for one to five stars (星级文明户). */
  starThresholdsPoints: number[];
  /** When the supermarket opens, as shown on the public board. */
  supermarketHours: string;
}

export interface DemoHousehold {
  index: number;
  /** Household number as printed on the card: DH0001. */
  number: string;
  headName: string;
  address: Address;
  members: Person[];
}

export type StaffRole = "township_admin" | "village_admin" | "clerk";

export interface DemoStaff {
  username: string;
  displayName: string;
  role: StaffRole;
  /** Null for the township administrator, who serves every village. */
  villageCode: string | null;
  password: string;
}

export interface DemoKiosk {
  code: string;
  name: string;
  villageCode: string;
  location: string;
}

export interface DemoVillage {
  code: string;
  name: string;
  description: string;
  settings: VillageSettings;
  rules: Rule[];
  /** The village's goods with their opening stock. */
  goods: Good[];
  households: DemoHousehold[];
  staff: DemoStaff[];
  kiosk: DemoKiosk;
}

interface EventBase {
  /** Midnight starting the event's day. */
  dayMs: number;
  /** When the event happens; events are listed in this order. */
  atMs: number;
  villageCode: string;
}

export interface LedgerEvent extends EventBase {
  kind: "award" | "deduction";
  householdIndex: number;
  ruleCode: string;
  /** The rule's points in this village, repeated so a reader need not look the rule up. */
  points: number;
  recordedBy: string;
  /** Entries recorded together (everyone at Saturday's cleanup) share a batch id. */
  batch: string | null;
  note: string | null;
  // The closing scene's extras (closing.ts); the simulated year's events have none of them.
  /** A villager's claim (申报), recorded by staff: always left for the committee to approve. */
  claim?: boolean;
  /** Left proposed, waiting in the committee's review queue. */
  awaitsApproval?: boolean;
  /** Names the entry for a later event of the scene (an objection to it). */
  tag?: string;
  /** Households to try in turn when the rule's monthly cap refuses this one. */
  fallbackIndexes?: number[];
}

export interface EventItem {
  sku: string;
  quantity: number;
}

export interface RedemptionEvent extends EventBase {
  kind: "redemption";
  householdIndex: number;
  items: (EventItem & { pricePoints: number })[];
  totalPoints: number;
  recordedBy: string;
}

export interface IntakeEvent extends EventBase {
  kind: "intake";
  items: EventItem[];
  recordedBy: string;
}

export type DemoEvent = LedgerEvent | RedemptionEvent | IntakeEvent;

export interface DemoPlan {
  seed: number;
  startDayMs: number;
  days: number;
  township: Township;
  villages: DemoVillage[];
  /** Every staff account, the township administrator first. */
  staff: DemoStaff[];
  kiosks: DemoKiosk[];
  /** In time order. */
  events: DemoEvent[];
}

function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`plan: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Villages, households, staff

// The villages differ in their settings so the demo shows each option: DH asks for approval
// and three days of notice, LW a full five days, SQ posts at once.
const VILLAGE_SETTINGS: Readonly<Record<string, VillageSettings>> = {
  DH: {
    noticeDays: 3,
    requireApproval: true,
    pointValueYuan: 1,
    pointsExpireAtYearEnd: false,
    showBottomList: false,
    starThresholdsPoints: [50, 100, 150, 200, 300],
    supermarketHours: "每周三、周六 13:30–17:30",
  },
  LW: {
    noticeDays: 5,
    requireApproval: true,
    pointValueYuan: 1,
    pointsExpireAtYearEnd: false,
    showBottomList: true,
    starThresholdsPoints: [40, 80, 120, 180, 250],
    supermarketHours: "每月5日、15日、25日及每周六 13:30–17:30",
  },
  SQ: {
    noticeDays: 0,
    requireApproval: false,
    pointValueYuan: 1,
    pointsExpireAtYearEnd: false,
    showBottomList: false,
    starThresholdsPoints: [50, 100, 150, 200, 300],
    supermarketHours: "逢三、六、九赶集日 13:30–17:30",
  },
};

// The supermarket opens on the days its hours above name.
function isSupermarketOpen(villageCode: string, day: CalendarDay): boolean {
  switch (villageCode) {
    case "DH":
      return day.weekday === WEDNESDAY || day.weekday === SATURDAY;
    case "LW":
      return day.dayOfMonth === 5 || day.dayOfMonth === 15 || day.dayOfMonth === 25 || day.weekday === SATURDAY;
    case "SQ":
      return [3, 6, 9].includes(day.dayOfMonth % 10);
    default:
      return day.weekday === SATURDAY;
  }
}

// Opening stock scales with the village; a village restocks a good once it falls to a quarter.
const REORDER_SHARE = 0.25;
const OPENING_STOCK_SPREAD = 0.2;
const CATALOGUE_HOUSEHOLDS = 200;
const OPENING_STOCK_MIN = 5;

function villageGoods(rng: Random, householdCount: number): Good[] {
  return GOODS_CATALOGUE.map((g) => {
    const scaled = (g.stock * householdCount) / CATALOGUE_HOUSEHOLDS;
    const spread = 1 - OPENING_STOCK_SPREAD + rng.next() * 2 * OPENING_STOCK_SPREAD;
    return { ...g, stock: Math.max(OPENING_STOCK_MIN, Math.round(scaled * spread)) };
  });
}

// Head names repeat in a real village, but the demo reads better when "王建国" finds one
// household; a few redraws make clashes rare without forbidding them.
const HEAD_NAME_REDRAWS_MAX = 6;

function villageHouseholds(rng: Random, place: Readonly<VillagePlace>, count: number, referenceYear: number): DemoHousehold[] {
  const addresses = generateAddresses(rng, place, count);
  const headNames = new Set<string>();
  return addresses.map((address, index) => {
    let household = generateHousehold(rng, { referenceYear, clanSurnames: place.clanSurnames });
    for (let i = 0; i < HEAD_NAME_REDRAWS_MAX && headNames.has(household.head.name); i += 1) {
      household = generateHousehold(rng, { referenceYear, clanSurnames: place.clanSurnames });
    }
    headNames.add(household.head.name);
    return {
      index,
      number: `${place.code}${String(index + 1).padStart(4, "0")}`,
      headName: household.head.name,
      address,
      members: household.members,
    };
  });
}

function staffName(rng: Random, clanSurnames: readonly string[], referenceYear: number): string {
  const gender = rng.chance(0.5) ? "male" : "female";
  return pickSurname(rng, clanSurnames) + pickGivenName(rng, gender, referenceYear - rng.int(30, 55));
}

function villageStaff(rng: Random, place: Readonly<VillagePlace>, referenceYear: number): DemoStaff[] {
  const prefix = place.code.toLowerCase();
  return [
    {
      username: `${prefix}_admin`,
      displayName: staffName(rng, place.clanSurnames, referenceYear),
      role: "village_admin",
      villageCode: place.code,
      password: DEMO_PASSWORD,
    },
    {
      username: `${prefix}_clerk`,
      displayName: staffName(rng, place.clanSurnames, referenceYear),
      role: "clerk",
      villageCode: place.code,
      password: DEMO_PASSWORD,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Calendar

const SUNDAY = 0;
const WEDNESDAY = 3;
const SATURDAY = 6;

interface CalendarDay {
  index: number;
  dayMs: number;
  year: number;
  /** 1–12. */
  month: number;
  dayOfMonth: number;
  /** 0 is Sunday. */
  weekday: number;
  monthKey: number;
}

function calendarDay(startDayMs: number, index: number): CalendarDay {
  const dayMs = startDayMs + index * DAY_MS;
  const local = new Date(dayMs + CHINA_OFFSET_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  return { index, dayMs, year, month, dayOfMonth: local.getUTCDate(), weekday: local.getUTCDay(), monthKey: year * 12 + month };
}

function isOn(day: CalendarDay, month: number, dayOfMonth: number): boolean {
  return day.month === month && day.dayOfMonth === dayOfMonth;
}

function dateLabel(day: CalendarDay): string {
  return `${day.month}月${day.dayOfMonth}日`;
}

function dateKey(day: CalendarDay): string {
  return `${day.year}${String(day.month).padStart(2, "0")}${String(day.dayOfMonth).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------------------------
// Simulation

/** Traits that make households behave differently, drawn once per household. */
interface Traits {
  /** How readily the household joins activities; 1 is average. */
  activity: number;
  /** How tidy the yard is, 0–1. */
  tidiness: number;
  /**
   * Share of earned points the household aims to spend. The share actually spent comes out
   * lower (about 60–75 %) because the year's last awards are still unspent at its end.
   */
  spendShare: number;
  /** Rare deductions are much likelier for this household. */
  troublesome: boolean;
  patrolTeam: boolean;
  legalLiaison: boolean;
  helper: boolean;
  marketVendor: boolean;
  hasSchoolChild: boolean;
  hasWorkingAdult: boolean;
  hasYoungAdult: boolean;
  /** Birth year of a member who turns 18 in the first year, if any: a candidate for university. */
  hasSchoolLeaver: boolean;
}

interface HouseholdState {
  traits: Traits;
  /** Points the household may spend now: posted awards less every deduction and redemption. */
  spendablePoints: number;
  /** Awards still under notice, by the day index on which they may be spent. */
  pendingAwards: { availableDayIndex: number; points: number }[];
  /** Awards less deductions that have become spendable; the base for the spending target. */
  earnedPoints: number;
  spentPoints: number;
  capMonthKey: number;
  capUsedPoints: Map<string, number>;
}

function householdTraits(rng: Random, household: DemoHousehold, referenceYear: number): Traits {
  const ages = household.members.map((m) => referenceYear - m.birthYear);
  const allElderly = ages.every((age) => age >= 65);
  const awayForWork = rng.chance(0.08);
  const activity = awayForWork ? 0.1 + rng.next() * 0.2 : allElderly ? 0.4 + rng.next() * 0.5 : 0.6 + rng.next() * 0.9;
  return {
    activity,
    tidiness: rng.next(),
    spendShare: 0.68 + rng.next() * 0.17,
    troublesome: rng.chance(0.05),
    patrolTeam: !allElderly && rng.chance(0.08),
    legalLiaison: !allElderly && rng.chance(0.025),
    helper: rng.chance(0.04),
    marketVendor: !allElderly && rng.chance(0.1),
    hasSchoolChild: ages.some((age) => age >= 6 && age <= 15),
    hasWorkingAdult: ages.some((age) => age >= 20 && age <= 60),
    hasYoungAdult: ages.some((age) => age >= 22 && age <= 32),
    hasSchoolLeaver: ages.some((age) => age === 17 || age === 18),
  };
}

interface VillageContext {
  rng: Random;
  place: Readonly<VillagePlace>;
  settings: VillageSettings;
  rulesByCode: Map<string, Rule>;
  goods: Good[];
  stock: Map<string, number>;
  restockDue: Set<string>;
  households: HouseholdState[];
  admin: string;
  clerk: string;
  events: DemoEvent[];
}

// Awards become spendable one day after their notice ends, so the plan never overdraws even
// if the demo script posts an entry a few hours after it was recorded.
const NOTICE_SLACK_DAYS = 1;

const INTAKE_START_MS = 7 * HOUR_MS + 30 * MINUTE_MS;
const RECORDING_START_MS = 8 * HOUR_MS + 30 * MINUTE_MS;
const RECORDING_SPAN_MS = 3 * HOUR_MS;
const SHOP_START_MS = 13 * HOUR_MS + 30 * MINUTE_MS;
const SHOP_SPAN_MS = 4 * HOUR_MS;

function timeIn(rng: Random, day: CalendarDay, startMs: number, spanMs: number): number {
  return day.dayMs + startMs + rng.int(0, spanMs / MINUTE_MS - 1) * MINUTE_MS;
}

/** Records an award or deduction if the rule exists here, the cap allows it and, for a deduction, the points cover it. */
function record(
  ctx: VillageContext,
  day: CalendarDay,
  householdIndex: number,
  ruleCode: string,
  atMs: number,
  batch: string | null,
  note: string | null,
): boolean {
  const rule = ctx.rulesByCode.get(ruleCode);
  const state = ctx.households[householdIndex];
  if (rule === undefined || state === undefined) return false;
  if (rule.points > 0) {
    const used = state.capUsedPoints.get(ruleCode) ?? 0;
    if (rule.monthlyCap !== null && used + rule.points > rule.monthlyCap) return false;
    state.capUsedPoints.set(ruleCode, used + rule.points);
    state.pendingAwards.push({ availableDayIndex: day.index + ctx.settings.noticeDays + NOTICE_SLACK_DAYS, points: rule.points });
  } else {
    // Deductions count from the moment they are recorded, the worst case for the balance, and
    // the demo keeps every balance at zero or above, so only a household whose spendable
    // points cover the deduction draws one.
    if (state.spendablePoints + rule.points < 0) return false;
    state.spendablePoints += rule.points;
    state.earnedPoints += rule.points;
  }
  ctx.events.push({
    kind: rule.points > 0 ? "award" : "deduction",
    dayMs: day.dayMs,
    atMs,
    villageCode: ctx.place.code,
    householdIndex,
    ruleCode,
    points: rule.points,
    recordedBy: ctx.admin,
    batch,
    note,
  });
  return true;
}

/** Records a batch: every household that passes `joins` gets the rule at one time. */
function batch(
  ctx: VillageContext,
  day: CalendarDay,
  ruleCode: string,
  note: string,
  joins: (traits: Traits) => number,
): void {
  if (!ctx.rulesByCode.has(ruleCode)) return;
  const atMs = timeIn(ctx.rng, day, RECORDING_START_MS, RECORDING_SPAN_MS);
  const batchId = `${ctx.place.code}-${dateKey(day)}-${ruleCode}`;
  ctx.households.forEach((state, index) => {
    if (ctx.rng.chance(Math.min(1, joins(state.traits)))) record(ctx, day, index, ruleCode, atMs, batchId, note);
  });
}

// Village inspection days: each village walks its groups near the end of the month.
const INSPECTION_DAY_OF_MONTH: Readonly<Record<string, number>> = { DH: 25, LW: 26, SQ: 28 };
const GARBAGE_SPOT_CHECK_DAY_OF_MONTH = 10;
const FLOOD_SEASON_DUTY_DAYS: readonly (readonly [number, number])[] = [[6, 18], [7, 10], [7, 28], [8, 15]];
const LAW_LECTURES: readonly (readonly [number, number, string])[] = [
  [3, 15, "3·15消费者权益日法治讲座"],
  [4, 15, "全民国家安全教育日宣讲"],
  [5, 20, "民法典宣传月专题讲座"],
  [12, 4, "12·4国家宪法日宪法宣讲"],
];

function scheduledActivities(ctx: VillageContext, day: CalendarDay): void {
  const { place } = ctx;
  const label = dateLabel(day);

  // Volunteer cleanups fall on the first and third Saturdays of the month.
  if (day.weekday === SATURDAY && (day.dayOfMonth <= 7 || (day.dayOfMonth >= 15 && day.dayOfMonth <= 21))) {
    batch(ctx, day, "VOL-01", `${label}${place.name}环境卫生义务大扫除`, (t) => 0.3 * t.activity);
  }
  // The river village dredges its ditches on the second and fourth Saturdays.
  if (day.weekday === SATURDAY && ((day.dayOfMonth >= 8 && day.dayOfMonth <= 14) || (day.dayOfMonth >= 22 && day.dayOfMonth <= 28))) {
    batch(ctx, day, "ENV-08", `${label}东河沟渠清淤`, (t) => 0.15 * t.activity);
  }
  if (day.weekday === SUNDAY) {
    batch(ctx, day, "VOL-02", `${label}护河巡河`, (t) => (t.patrolTeam ? 0.8 : 0));
  }
  if (day.dayOfMonth === INSPECTION_DAY_OF_MONTH[place.code]) {
    const note = `${day.month}月人居环境月度检查`;
    batch(ctx, day, "ENV-03", note, (t) => 0.25 + 0.5 * t.tidiness);
    batch(ctx, day, "ENV-01", note, (t) => 0.3 + 0.4 * t.tidiness);
    batch(ctx, day, "ENV-04", note, (t) => (t.troublesome ? 0.25 : 0.02 * (1 - t.tidiness)));
    batch(ctx, day, "ENV-05", note, (t) => (t.troublesome ? 0.15 : 0.01));
    batch(ctx, day, "ENV-06", note, (t) => (t.troublesome ? 0.1 : 0.015));
    batch(ctx, day, "CIV-07", `${day.month}月集市文明经营评议`, (t) => (t.marketVendor ? 0.7 : 0));
    // Orchards are pruned in late winter and after the harvest.
    if ([2, 3, 11, 12].includes(day.month)) batch(ctx, day, "ENV-09", note, (t) => 0.35 * t.activity);
    // Yards are appraised at the end of each quarter.
    if (day.month % 3 === 0) batch(ctx, day, "ENV-02", `${day.month}月“美丽庭院”评选`, (t) => (t.tidiness > 0.85 ? 0.6 : 0));
  }
  if (day.dayOfMonth === GARBAGE_SPOT_CHECK_DAY_OF_MONTH) {
    batch(ctx, day, "ENV-01", `${day.month}月垃圾分类抽查`, (t) => 0.2 + 0.3 * t.tidiness);
  }
  for (const [month, dayOfMonth, note] of LAW_LECTURES) {
    if (isOn(day, month, dayOfMonth)) batch(ctx, day, "LAW-01", note, (t) => 0.25 * t.activity);
  }
  if (day.dayOfMonth === 5) batch(ctx, day, "LAW-05", `${day.month}月“法律明白人”普法入户`, (t) => (t.legalLiaison ? 0.9 : 0));
  if (day.dayOfMonth === 8) batch(ctx, day, "VOL-06", `${day.month}月结对帮扶`, (t) => (t.helper ? 0.7 : 0));
  if (day.dayOfMonth === 15) batch(ctx, day, "CIV-04", `${day.month}月村文艺活动`, (t) => 0.08 * t.activity);
  if (isOn(day, 6, 26)) batch(ctx, day, "VOL-05", "6·26国际禁毒日宣传", (t) => 0.05 * t.activity);
  if (isOn(day, 9, 12)) batch(ctx, day, "VOL-05", "国家网络安全宣传周反诈宣传", (t) => 0.05 * t.activity);
  if (isOn(day, 4, 3)) batch(ctx, day, "VOL-03", "清明节森林防火值守", (t) => (t.hasWorkingAdult ? 0.06 : 0));
  for (const [month, dayOfMonth] of FLOOD_SEASON_DUTY_DAYS) {
    if (isOn(day, month, dayOfMonth)) batch(ctx, day, "VOL-03", `${label}防汛值守`, (t) => (t.hasWorkingAdult ? 0.08 * t.activity : 0));
  }
  if (isOn(day, 4, 6)) batch(ctx, day, "CIV-03", "清明文明祭扫", () => 0.35);
  if (isOn(day, 8, 20)) batch(ctx, day, "FAM-03", "金榜题名奖励", (t) => (t.hasSchoolLeaver ? 0.45 : 0));
  if (isOn(day, 10, 29)) batch(ctx, day, "FAM-01", "重阳节“好媳妇”“好儿女”评选", (t) => 0.015 + 0.02 * t.activity);
  if (isOn(day, 11, 20)) batch(ctx, day, "LAW-04", "城乡居民医保集中征缴", () => 0.7);
  if (isOn(day, 12, 28)) batch(ctx, day, "FAM-02", "年度“五好家庭”评选", (t) => 0.02 * t.activity);
}

// Rare, one-household events, as chances per household per day.
interface RareEvent {
  ruleCode: string;
  chance: (t: Traits, day: CalendarDay) => number;
}

const TROUBLE_FACTOR = 10;
const SPRING_FESTIVAL_MONTHS = [1, 2];
const STRAW_BURNING_MONTHS = [6, 10];

const RARE_EVENTS: readonly RareEvent[] = [
  { ruleCode: "LAW-02", chance: (t) => 0.0004 * t.activity },
  { ruleCode: "LAW-03", chance: () => 0.00004 },
  { ruleCode: "VOL-04", chance: (t) => (t.hasWorkingAdult ? 0.00015 : 0) },
  { ruleCode: "ENV-07", chance: (_t, d) => (d.month >= 4 && d.month <= 10 ? 0.0002 : 0) },
  { ruleCode: "CIV-01", chance: () => 0.00015 },
  { ruleCode: "CIV-02", chance: (t) => (t.hasYoungAdult ? 0.0001 : 0) },
  { ruleCode: "LAW-06", chance: (t, d) => (SPRING_FESTIVAL_MONTHS.includes(d.month) ? 0.0002 : 0.00002) * (t.troublesome ? TROUBLE_FACTOR : 1) },
  { ruleCode: "LAW-07", chance: (t) => 0.00002 * (t.troublesome ? TROUBLE_FACTOR : 1) },
  { ruleCode: "LAW-08", chance: (t, d) => (STRAW_BURNING_MONTHS.includes(d.month) ? 0.0004 : 0) * (t.troublesome ? TROUBLE_FACTOR : 1) },
  { ruleCode: "LAW-09", chance: (t) => (t.troublesome ? 0.00005 : 0) },
  { ruleCode: "FAM-04", chance: (t) => 0.00001 * (t.troublesome ? TROUBLE_FACTOR : 1) },
  { ruleCode: "FAM-05", chance: (t) => (t.troublesome ? 0.00004 : 0) },
  { ruleCode: "CIV-05", chance: (t) => 0.00002 * (t.troublesome ? TROUBLE_FACTOR : 1) },
  { ruleCode: "CIV-06", chance: (t) => 0.00001 * (t.troublesome ? TROUBLE_FACTOR : 1) },
];

function rareEvents(ctx: VillageContext, day: CalendarDay): void {
  ctx.households.forEach((state, index) => {
    for (const rare of RARE_EVENTS) {
      if (ctx.rng.chance(rare.chance(state.traits, day))) {
        record(ctx, day, index, rare.ruleCode, timeIn(ctx.rng, day, RECORDING_START_MS, RECORDING_SPAN_MS), null, null);
      }
    }
  });
}

function intake(ctx: VillageContext, day: CalendarDay): void {
  if (ctx.restockDue.size === 0) return;
  const items: EventItem[] = [];
  for (const good of ctx.goods) {
    if (!ctx.restockDue.has(good.sku)) continue;
    const onShelf = ctx.stock.get(good.sku) ?? 0;
    const quantity = good.stock - onShelf;
    if (quantity > 0) {
      items.push({ sku: good.sku, quantity });
      ctx.stock.set(good.sku, good.stock);
    }
  }
  ctx.restockDue.clear();
  if (items.length === 0) return;
  ctx.events.push({
    kind: "intake",
    dayMs: day.dayMs,
    atMs: timeIn(ctx.rng, day, INTAKE_START_MS, HOUR_MS / 2),
    villageCode: ctx.place.code,
    items,
    recordedBy: ctx.clerk,
  });
}

// How often villagers choose each good: staples sell most, school goods only to families
// with a child at school.
const GOOD_POPULARITY: Readonly<Record<string, number>> = {
  "RICE-5KG": 6,
  "OIL-1800ML": 6,
  "NOODLE-1KG": 4,
  "EGG-30": 4,
  "SOY-500ML": 3,
  "SALT-400G": 2,
  "LAUNDRY-1500G": 5,
  "DISH-1100G": 4,
  "SOAP-1": 3,
  "TOOTHPASTE-1": 3,
  "SHAMPOO-400ML": 2,
  "TOWEL-1": 2,
  "TISSUE-10": 5,
  "BASIN-1": 1,
  "THERMOS-1": 1,
  "UMBRELLA-1": 1,
  "SCHOOLBAG-1": 0,
  "EXERCISE-BOOK-10": 0,
};
const SCHOOL_GOOD_POPULARITY = 4;

const SHOPPING_THRESHOLD_POINTS = 15;
const SHOPPING_CHANCE = 0.6;
const BASKET_PICKS_MAX = 4;
const CHEAP_GOOD_POINTS_MAX = 8;
const SECOND_UNIT_CHANCE = 0.3;

function redemptions(ctx: VillageContext, day: CalendarDay): void {
  if (!isSupermarketOpen(ctx.place.code, day)) return;
  ctx.households.forEach((state, householdIndex) => {
    const target = Math.floor(state.earnedPoints * state.traits.spendShare) - state.spentPoints;
    const budget = Math.min(target, state.spendablePoints);
    if (budget < SHOPPING_THRESHOLD_POINTS || !ctx.rng.chance(SHOPPING_CHANCE)) return;
    const weights = ctx.goods.map((g): [Good, number] => [
      g,
      g.category === "school" ? (state.traits.hasSchoolChild ? SCHOOL_GOOD_POPULARITY : 0) : (GOOD_POPULARITY[g.sku] ?? 1),
    ]);
    const items: (EventItem & { pricePoints: number })[] = [];
    let remaining = budget;
    for (let pick = 0; pick < BASKET_PICKS_MAX; pick += 1) {
      const good = ctx.rng.weighted(weights);
      const onShelf = ctx.stock.get(good.sku) ?? 0;
      if (good.pricePoints > remaining || onShelf < 1 || items.some((i) => i.sku === good.sku)) continue;
      const two = good.pricePoints <= CHEAP_GOOD_POINTS_MAX && onShelf >= 2 && 2 * good.pricePoints <= remaining && ctx.rng.chance(SECOND_UNIT_CHANCE);
      const quantity = two ? 2 : 1;
      items.push({ sku: good.sku, quantity, pricePoints: good.pricePoints });
      remaining -= quantity * good.pricePoints;
      ctx.stock.set(good.sku, onShelf - quantity);
      if (onShelf - quantity <= Math.floor(good.stock * REORDER_SHARE)) ctx.restockDue.add(good.sku);
    }
    if (items.length === 0) return;
    const totalPoints = budget - remaining;
    state.spendablePoints -= totalPoints;
    state.spentPoints += totalPoints;
    assert(state.spendablePoints >= 0, "a redemption overdrew a household");
    ctx.events.push({
      kind: "redemption",
      dayMs: day.dayMs,
      atMs: timeIn(ctx.rng, day, SHOP_START_MS, SHOP_SPAN_MS),
      villageCode: ctx.place.code,
      householdIndex,
      items,
      totalPoints,
      recordedBy: ctx.clerk,
    });
  });
}

function startOfDay(ctx: VillageContext, day: CalendarDay): void {
  for (const state of ctx.households) {
    if (state.capMonthKey !== day.monthKey) {
      state.capMonthKey = day.monthKey;
      state.capUsedPoints.clear();
    }
    if (state.pendingAwards.length === 0) continue;
    const still: HouseholdState["pendingAwards"] = [];
    for (const pending of state.pendingAwards) {
      if (pending.availableDayIndex <= day.index) {
        state.spendablePoints += pending.points;
        state.earnedPoints += pending.points;
      } else {
        still.push(pending);
      }
    }
    state.pendingAwards = still;
  }
}

function simulateDay(ctx: VillageContext, day: CalendarDay): DemoEvent[] {
  ctx.events = [];
  startOfDay(ctx, day);
  intake(ctx, day);
  scheduledActivities(ctx, day);
  rareEvents(ctx, day);
  redemptions(ctx, day);
  // Within a day only spending takes effect (awards wait for their notice), so sorting by time
  // cannot make a balance or a stock dip below what the simulation checked.
  return ctx.events.sort((a, b) => a.atMs - b.atMs);
}

// ---------------------------------------------------------------------------------------------
// The plan

/** Builds the whole demo township from a seed: villages, households, staff, kiosks and a year of events. */
export function buildDemoPlan(seed: number, options?: DemoPlanOptions): DemoPlan {
  const householdsPerVillage = options?.householdsPerVillage ?? DEFAULT_HOUSEHOLDS_PER_VILLAGE;
  const startDayMs = options?.startDayMs ?? DEFAULT_START_DAY_MS;
  const days = options?.days ?? DEFAULT_DAYS;
  assert(Number.isInteger(seed), "seed must be an integer");
  assert(Number.isInteger(householdsPerVillage) && householdsPerVillage > 0, "householdsPerVillage must be a positive integer");
  assert(Number.isInteger(startDayMs), "startDayMs must be an integer");
  assert(Number.isInteger(days) && days >= 0, "days must be a non-negative integer");

  const root = createRandom(seed);
  const referenceYear = calendarDay(startDayMs, 0).year;

  const townshipAdmin: DemoStaff = {
    username: `${DEMO_TOWNSHIP.code.toLowerCase()}_admin`,
    displayName: staffName(root.fork("township-staff"), [], referenceYear),
    role: "township_admin",
    villageCode: null,
    password: DEMO_PASSWORD,
  };

  const villages: DemoVillage[] = DEMO_VILLAGES.map((place) => {
    const settings = VILLAGE_SETTINGS[place.code];
    assert(settings !== undefined, `no settings for ${place.code}`);
    return {
      code: place.code,
      name: place.name,
      description: place.description,
      settings: { ...settings, starThresholdsPoints: [...settings.starThresholdsPoints] },
      rules: villageRules(place.code),
      goods: villageGoods(root.fork(`goods:${place.code}`), householdsPerVillage),
      households: villageHouseholds(root.fork(`households:${place.code}`), place, householdsPerVillage, referenceYear),
      staff: villageStaff(root.fork(`staff:${place.code}`), place, referenceYear),
      kiosk: {
        code: `${place.code}-K1`,
        name: `${place.name}积分超市自助机`,
        villageCode: place.code,
        location: `${place.serviceCentre}一楼积分超市`,
      },
    };
  });

  const contexts: VillageContext[] = villages.map((village) => {
    const place = DEMO_VILLAGES.find((p) => p.code === village.code);
    assert(place !== undefined, `no place for ${village.code}`);
    const traitsRng = root.fork(`traits:${village.code}`);
    const [admin, clerk] = village.staff;
    assert(admin !== undefined && clerk !== undefined, "a village needs an admin and a clerk");
    return {
      rng: root.fork(`events:${village.code}`),
      place,
      settings: village.settings,
      rulesByCode: new Map(village.rules.map((r) => [r.code, r])),
      goods: village.goods,
      stock: new Map(village.goods.map((g) => [g.sku, g.stock])),
      restockDue: new Set(),
      households: village.households.map((h) => ({
        traits: householdTraits(traitsRng, h, referenceYear),
        spendablePoints: 0,
        pendingAwards: [],
        earnedPoints: 0,
        spentPoints: 0,
        capMonthKey: 0,
        capUsedPoints: new Map(),
      })),
      admin: admin.username,
      clerk: clerk.username,
      events: [],
    };
  });

  const events: DemoEvent[] = [];
  for (let index = 0; index < days; index += 1) {
    const day = calendarDay(startDayMs, index);
    const dayEvents = contexts.flatMap((ctx) => simulateDay(ctx, day));
    events.push(...dayEvents.sort((a, b) => a.atMs - b.atMs));
  }

  const staff = [townshipAdmin, ...villages.flatMap((v) => v.staff)];
  return {
    seed,
    startDayMs,
    days,
    township: { ...DEMO_TOWNSHIP },
    villages,
    staff,
    kiosks: villages.map((v) => v.kiosk),
    events,
  };
}
