/**
 * Reports over a period of days (inclusive, by the day an entry happened, Asia/Shanghai): points
 * awarded, deducted, redeemed and expired, by category, by month and by village; households
 * active; the honour board; star households. Only posted entries count. A reversal counts against
 * the kind it reverses (a reversed award lowers "awarded"; a voided redemption lowers "redeemed")
 * and on the day of the entry it reverses, so a period's figures say what really stood.
 *
 * "Earned" is the net of awards and deductions in the period, reversals included. The honour
 * board (红榜) ranks by the honour score (issue 18: all points ever earned less deductions, kept
 * on the household as `households.honour`), and the star tiers count it — never the balance, so
 * spending or the year-end expiry never pushes a household down the board. Each ranked household
 * also carries what it earned in the period. The bottom list (黑榜) stays the period's: the
 * households that earned least in it, among those with an award or a deduction in it.
 * A household is "active" in a period (or a month) with at least one posted award, deduction or
 * redemption in it; an expiry alone does not make it so. Every month of the period is listed,
 * empty ones too, so a chart's axis has no gaps.
 */
import type { Database } from "bun:sqlite";
import { mostVillages, type VillageRow } from "../villages/village-store.ts";
import { monthBounds, monthsBetween } from "../shared/calendar.ts";

export const HONOUR_BOARD_SIZE = 10;

export type Figures = {
  awarded: number;
  deducted: number;
  redeemed: number;
  expired: number;
  net: number;
};
export type RankedHousehold = {
  householdId: number;
  villageId: number;
  headName: string;
  earned: number;
  honourScore: number;
  star: number;
};
export type StarHousehold = RankedHousehold & { stars: number };
export type VillageFigures = Figures & {
  villageId: number;
  villageName: string;
  householdsActive: number;
  starCounts: number[];
};
/** A village beside the others (the township's comparison): participation in whole percent, points per household rounded. */
export type VillageComparison = {
  villageId: number;
  name: string;
  households: number;
  activeHouseholds: number;
  participation: number;
  awarded: number;
  deducted: number;
  redeemed: number;
  pointsPerHousehold: number;
};

export type Report = {
  from: string;
  to: string;
  villages: { id: number; name: string }[];
  totals: Figures;
  byMonth: (Figures & { month: string })[];
  byCategory: (Figures & { category: string })[];
  byVillage: VillageFigures[];
  householdsActive: number;
  households: { total: number; active: number };
  activeByMonth: { month: string; active: number }[];
  comparison: VillageComparison[];
  honourBoard: { top: RankedHousehold[]; bottom: RankedHousehold[] | null };
  /** Households with at least one star, most stars first (then honour score, then id): all of them, or the first `starList` (options). */
  starHouseholds: StarHousehold[];
  /** How many households have at least one star, listed or not. */
  starHouseholdsTotal: number;
  goodsRedeemed: { points: number; items: GoodsLine[] };
};

/** Goods redeemed in the period, one line a good. The supermarket knows them; the caller passes
 * its query in, so the ledger does not depend on the supermarket's tables. */
export type GoodsLine = { goodsId: number; name: string; quantity: number; points: number };
export type GoodsRedeemedSource = (
  db: Database,
  villageIds: readonly number[],
  from: string,
  to: string,
) => GoodsLine[];

type Row = {
  village_id: number;
  household_id: number;
  kind: string;
  category: string | null;
  month: string;
  points: number;
};

const zero = (): Figures => ({ awarded: 0, deducted: 0, redeemed: 0, expired: 0, net: 0 });

/** The kinds that make a household active in a period: it earned, lost or spent points. */
const ACTIVE_KINDS = new Set(["award", "deduction", "redemption"]);

/** Adds points of an entry of `kind` (a reversal passes the kind it reverses) to a figure set. */
function add(f: Figures, kind: string, points: number): void {
  if (kind === "award") f.awarded += points;
  else if (kind === "deduction") f.deducted -= points;
  else if (kind === "redemption") f.redeemed -= points;
  else if (kind === "expiry") f.expired -= points;
  f.net += points;
}

/** The number of thresholds reached: 0 to thresholds.length stars. Pure. */
export function starsFor(earned: number, thresholds: readonly number[]): number {
  return thresholds.filter((t) => earned >= t).length;
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}

/**
 * Posted entries of the period summed by day, village, kind, category and household (with the
 * day's month); a reversal under the kind it reverses, by village, household, kind, category and
 * month. `byHousehold` sums by village, household and kind only
 * (category null, month ''), which is all totals and active households need and costs a third.
 */
function* postedRows(
  db: Database,
  villageIds: readonly number[],
  from: string,
  to: string,
  detail: "full" | "byHousehold" = "full",
): Generator<Row> {
  const inList = placeholders(villageIds.length);
  const full = detail === "full";
  // Reads the covering index entries_report: no table row is touched for ordinary entries. The
  // full detail is grouped in the index's own order (day, village, kind, category, household), so
  // SQLite sums as it scans: grouped by household first it sorted a county's month (800,000
  // entries) in a temporary b-tree, 1.0-1.5 s instead of 0.5 s (tests/bench/RESULTS.md). The
  // caller adds rows up, so a household's several days are simply several rows.
  const [category, month, by] = full
    ? [
        "category",
        "substr(occurred_on, 1, 7)",
        "occurred_on, village_id, kind, category, household_id",
      ]
    : ["NULL", "''", "village_id, household_id, kind"];
  // Streamed, not collected: a county's month is 800,000 rows, which as one array held a few
  // hundred MB of the server's memory until the report was sent.
  yield* db
    .query<Row, (string | number)[]>(
      `SELECT village_id, household_id, kind, ${category} AS category, ${month} AS month, sum(points) AS points
       FROM entries INDEXED BY entries_report
       WHERE status = 'posted' AND occurred_on BETWEEN ? AND ? AND kind <> 'reversal' AND village_id IN (${inList})
       GROUP BY ${by}`,
    )
    .iterate(from, to, ...villageIds);
  const reversals = db
    .query<Omit<Row, "kind"> & { reversed_kind: string }, (string | number)[]>(
      `SELECT r.village_id, r.household_id, coalesce(o.kind, 'reversal') AS reversed_kind, ${full ? "r.category" : "NULL"} AS category, ${full ? "substr(r.occurred_on, 1, 7)" : "''"} AS month, sum(r.points) AS points
       FROM entries r INDEXED BY entries_report LEFT JOIN entries o ON o.id = r.reverses_id
       WHERE r.status = 'posted' AND r.occurred_on BETWEEN ? AND ? AND r.kind = 'reversal' AND r.village_id IN (${inList})
       GROUP BY r.village_id, r.household_id, reversed_kind${full ? ", r.category, month" : ""}`,
    )
    .all(from, to, ...villageIds);
  for (const { reversed_kind, ...r } of reversals) yield { ...r, kind: reversed_kind };
}

/**
 * A period's totals and active households only, counted exactly as `buildReport` counts them
 * (the staff's start page and a village's today page show this month's, read from the monthly
 * sums): without the honour board, which would read every household.
 */
export function periodTotals(
  db: Database,
  villageIds: readonly number[],
  from: string,
  to: string,
): { totals: Figures; householdsActive: number } {
  const sums = sumPeriod(db, villageIds, from, to, "byHousehold");
  return { totals: sums.totals, householdsActive: sums.activeTotal };
}

/** How star households are ordered in the list: most stars, then the highest honour score, then the oldest household. */
const byStars = (a: StarHousehold, b: StarHousehold) =>
  b.stars - a.stars || b.honourScore - a.honourScore || a.householdId - b.householdId;

/**
 * Keeps the first `limit` of what is offered in `order`, sorted, as the stream goes by: a
 * county's 300,000 households are offered, a few hundred kept, without sorting them all.
 */
function keepFirst<T>(kept: T[], item: T, limit: number, order: (a: T, b: T) => number): void {
  if (kept.length >= limit && (limit === 0 || order(item, kept.at(-1)!) >= 0)) return;
  let lo = 0;
  let hi = kept.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order(kept[mid]!, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  kept.splice(lo, 0, item);
  if (kept.length > limit) kept.pop();
}

export type ReportOptions = {
  bottomList: boolean;
  goodsRedeemed?: GoodsRedeemedSource;
  /** How many star households to list: "all" (the downloads), or the first N (the JSON answer; 0 for none). */
  starList?: "all" | number;
};

/** A run of days, both included. */
type Day = { from: string; to: string };

/**
 * A period cut into the whole months it covers, read from the monthly sums (migration 0022), and
 * the days outside them (at most one piece at each end), summed from the entries. Pure.
 */
export function splitPeriod(from: string, to: string): { months: string[]; days: Day[] } {
  const months: string[] = [];
  const days: Day[] = [];
  for (const month of monthsBetween(from, to)) {
    const whole = monthBounds(month);
    const piece = {
      from: from > whole.from ? from : whole.from,
      to: to < whole.to ? to : whole.to,
    };
    if (piece.from === whole.from && piece.to === whole.to) months.push(month);
    else days.push(piece);
  }
  return { months, days };
}

/** A report's sums as rows come in, from the entries or from the monthly sums. */
class PeriodSums {
  readonly totals = zero();
  readonly byMonth: Map<string, Figures>;
  readonly byCategory = new Map<string, Figures>();
  readonly byVillage = new Map<number, Figures>();
  readonly activeCount = new Map<number, number>();
  activeTotal = 0;
  // What each household did in the period, in flat arrays indexed by its id rather than in maps: a
  // county's month is 300,000 households, and a map lookup per row was most of the report's time
  // (tests/bench/RESULTS.md). Ids are the table's dense integer keys.
  readonly byId: HouseholdArrays;
  readonly monthIndex: Map<string, number>;

  /** `months`: every month of the period, in order. */
  constructor(
    readonly months: readonly string[],
    maxHouseholdId: number,
  ) {
    this.byMonth = new Map(months.map((m) => [m, zero()]));
    this.monthIndex = new Map(months.map((m, i) => [m, i]));
    this.byId = new HouseholdArrays(maxHouseholdId + 1, months.length);
  }

  /** Points of `kind` (a reversal's: the kind it reverses) in a village, month and category. */
  figures(villageId: number, month: string, kind: string, category: string | null, points: number) {
    add(this.totals, kind, points);
    const m = this.byMonth.get(month) ?? this.byMonth.set(month, zero()).get(month)!;
    add(m, kind, points);
    const c = category ?? (kind === "redemption" ? "supermarket" : kind);
    add(this.byCategory.get(c) ?? this.byCategory.set(c, zero()).get(c)!, kind, points);
    const v =
      this.byVillage.get(villageId) ?? this.byVillage.set(villageId, zero()).get(villageId)!;
    add(v, kind, points);
  }

  /** A household active in a month of the period, with what it earned there (`earns`: it had an award or a deduction). */
  household(h: number, villageId: number, month: string, earned: number, earns: boolean) {
    const byId = this.byId;
    byId.fit(h);
    if (byId.active[h] === 0) {
      byId.active[h] = 1;
      this.activeTotal++;
      this.activeCount.set(villageId, (this.activeCount.get(villageId) ?? 0) + 1);
    }
    const m = this.monthIndex.get(month);
    if (m !== undefined) byId.markActiveIn(m, h);
    if (earns) {
      byId.earns[h] = 1;
      byId.earned[h]! += earned;
    }
  }
}

/**
 * A period's sums: its whole months from the monthly sums, its other days from the entries
 * (`byHousehold`: without the days' categories and months, which totals and active households do
 * not need).
 */
function sumPeriod(
  db: Database,
  villageIds: readonly number[],
  from: string,
  to: string,
  detail: "full" | "byHousehold",
): PeriodSums {
  const sums = new PeriodSums(monthsBetween(from, to), maxHouseholdId(db));
  if (villageIds.length === 0) return sums;
  const split = splitPeriod(from, to);
  sumMonths(sums, db, villageIds, split.months);
  for (const days of split.days) sumDays(sums, db, villageIds, days, detail);
  return sums;
}

/** Adds a period's days from the entries. */
function sumDays(
  sums: PeriodSums,
  db: Database,
  villageIds: readonly number[],
  days: Day,
  detail: "full" | "byHousehold",
) {
  for (const r of postedRows(db, villageIds, days.from, days.to, detail)) {
    sums.figures(r.village_id, r.month, r.kind, r.category, r.points);
    if (ACTIVE_KINDS.has(r.kind)) {
      const earns = r.kind === "award" || r.kind === "deduction";
      sums.household(r.household_id, r.village_id, r.month, earns ? r.points : 0, earns);
    }
  }
}

/** Adds whole months from the monthly sums: a few rows per village and month, one per active household. */
function sumMonths(
  sums: PeriodSums,
  db: Database,
  villageIds: readonly number[],
  months: readonly string[],
) {
  if (months.length === 0) return;
  const inList = placeholders(villageIds.length);
  const villageRows = db
    .query<[string, number, string, string, number], (string | number)[]>(
      `SELECT month, village_id, kind, category, points FROM report_village_months
       WHERE month BETWEEN ? AND ? AND village_id IN (${inList})`,
    )
    .values(months[0]!, months.at(-1)!, ...villageIds) as [
    string,
    number,
    string,
    string,
    number,
  ][];
  for (const [month, villageId, kind, category, points] of villageRows)
    sums.figures(villageId, month, kind, category === "" ? null : category, points);
  const households = db.query<
    { household_id: number; village_id: number; earned: number; earns: number },
    (string | number)[]
  >(
    `SELECT household_id, village_id, earned, earns FROM report_household_months
     WHERE month = ? AND village_id IN (${inList})`,
  );
  for (const month of months)
    for (const h of households.iterate(month, ...villageIds))
      sums.household(h.household_id, h.village_id, month, h.earned, h.earns === 1);
}

export function buildReport(
  db: Database,
  villages: readonly VillageRow[],
  from: string,
  to: string,
  options: ReportOptions,
): Report {
  const villageIds = villages.map((v) => v.id);
  const sums = sumPeriod(db, villageIds, from, to, "full");
  const { months, totals, byMonth, byCategory, byVillage, byId, activeCount, activeTotal } = sums;

  const thresholds = new Map(
    villages.map((v) => [v.id, JSON.parse(v.star_thresholds) as number[]]),
  );
  // One pass over every household of the villages (300,000 in a county, tests/bench/county.bench.ts):
  // its stars, its village's star counts, the honour board's ten kept sorted as it goes, and an
  // object made only for a household that is listed. Sorting all of them for ten, and walking all
  // of them once per village for the star counts, took seconds at that size.
  const starCounts = new Map(
    villages.map((v) => [
      v.id,
      Array.from({ length: (thresholds.get(v.id) ?? []).length + 1 }, () => 0),
    ]),
  );
  const byHonour = (a: RankedHousehold, b: RankedHousehold) =>
    b.honourScore - a.honourScore || a.householdId - b.householdId;
  const top: RankedHousehold[] = [];
  const starLimit =
    options.starList === undefined || options.starList === "all" ? Infinity : options.starList;
  const starred: StarHousehold[] = [];
  let starredTotal = 0;
  const earners: RankedHousehold[] = [];
  // The heads' names are read in the pass only when many households are listed (a download's
  // every star, a village's bottom list); otherwise for the few kept, after it: 300,000 names
  // read for a few hundred cost the county's report 50-100 ms.
  const namesInPass = starLimit === Infinity || options.bottomList;
  for (const { id, village_id: villageId, head_name: headName, honour } of householdStanding(
    db,
    villageIds,
    namesInPass,
  )) {
    const levels = thresholds.get(villageId) ?? [];
    let star = 0;
    for (const t of levels) if (honour >= t) star++;
    const counts = starCounts.get(villageId);
    if (counts !== undefined) counts[star]!++;
    let ranked: RankedHousehold | null = null;
    const rankedNow = (): RankedHousehold =>
      (ranked ??= {
        householdId: id,
        villageId,
        headName,
        earned: id < byId.earned.length ? byId.earned[id]! : 0,
        honourScore: honour,
        star,
      });
    // The honour board: the highest honour scores above zero.
    const lastTop = top.at(-1);
    if (
      honour > 0 &&
      (top.length < HONOUR_BOARD_SIZE ||
        honour > lastTop!.honourScore ||
        (honour === lastTop!.honourScore && id < lastTop!.householdId))
    )
      keepFirst(top, rankedNow(), HONOUR_BOARD_SIZE, byHonour);
    if (star > 0) {
      starredTotal++;
      if (starLimit === Infinity) starred.push({ ...rankedNow(), stars: star });
      else if (starLimit > 0) {
        const last = starred.at(-1);
        // Most households are no better than the last kept: decided on plain numbers, no object made.
        const worse =
          starred.length >= starLimit &&
          last !== undefined &&
          (star < last.stars ||
            (star === last.stars &&
              (honour < last.honourScore ||
                (honour === last.honourScore && id > last.householdId))));
        if (!worse) keepFirst(starred, { ...rankedNow(), stars: star }, starLimit, byStars);
      }
    }
    if (options.bottomList && id < byId.earns.length && byId.earns[id] === 1)
      earners.push(rankedNow());
  }
  if (!namesInPass) fillNames(db, [...top, ...starred]);
  const bottom = options.bottomList
    ? earners
        .sort((a, b) => a.earned - b.earned || a.householdId - b.householdId)
        .slice(0, HONOUR_BOARD_SIZE)
    : null;

  const starHouseholds: StarHousehold[] = starLimit === Infinity ? starred.sort(byStars) : starred;

  const householdCount = householdsByVillage(db, villageIds);
  const comparison: VillageComparison[] = villages.map((v) => {
    const f = byVillage.get(v.id) ?? zero();
    const households = householdCount.get(v.id) ?? 0;
    const activeHouseholds = activeCount.get(v.id) ?? 0;
    return {
      villageId: v.id,
      name: v.name,
      households,
      activeHouseholds,
      participation: households === 0 ? 0 : Math.round((100 * activeHouseholds) / households),
      awarded: f.awarded,
      deducted: f.deducted,
      redeemed: f.redeemed,
      pointsPerHousehold: households === 0 ? 0 : Math.round((f.awarded - f.deducted) / households),
    };
  });

  return {
    from,
    to,
    villages: villages.map((v) => ({ id: v.id, name: v.name })),
    totals,
    byMonth: months.map((month) => ({ month, ...byMonth.get(month)! })),
    byCategory: [...byCategory.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([category, f]) => ({ category, ...f })),
    byVillage: villages.map((v) => {
      return {
        villageId: v.id,
        villageName: v.name,
        householdsActive: activeCount.get(v.id) ?? 0,
        starCounts: starCounts.get(v.id)!,
        ...(byVillage.get(v.id) ?? zero()),
      };
    }),
    householdsActive: activeTotal,
    households: {
      total: [...householdCount.values()].reduce((a, b) => a + b, 0),
      active: activeTotal,
    },
    activeByMonth: months.map((month, i) => ({ month, active: byId.activeInMonth[i]! })),
    comparison,
    honourBoard: { top, bottom },
    starHouseholds,
    starHouseholdsTotal: starredTotal,
    goodsRedeemed: {
      points: totals.redeemed,
      items:
        villageIds.length === 0 ? [] : (options.goodsRedeemed?.(db, villageIds, from, to) ?? []),
    },
  };
}

/** The largest household id: the size of the arrays `buildReport` keeps by household. */
function maxHouseholdId(db: Database): number {
  return db.query<{ n: number | null }, []>("SELECT max(id) AS n FROM households").get()?.n ?? 0;
}

/**
 * A report's per-household figures by household id: whether it earned (an award or a deduction)
 * and how much, whether it was active, and in which months, each month's count kept as it is
 * marked. Grows if a household newer than the first count turns up.
 */
class HouseholdArrays {
  earned: Float64Array;
  earns: Uint8Array;
  active: Uint8Array;
  readonly activeInMonth: number[];
  private months: (Uint8Array | undefined)[] = [];

  constructor(
    private size: number,
    monthCount: number,
  ) {
    this.earned = new Float64Array(size);
    this.earns = new Uint8Array(size);
    this.active = new Uint8Array(size);
    this.activeInMonth = Array.from({ length: monthCount }, () => 0);
  }

  fit(id: number): void {
    if (id < this.size) return;
    const size = Math.max(id + 1, this.size * 2);
    const grow = <A extends Float64Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.earned = grow(this.earned, (n) => new Float64Array(n));
    this.earns = grow(this.earns, (n) => new Uint8Array(n));
    this.active = grow(this.active, (n) => new Uint8Array(n));
    this.months = this.months.map((m) => (m === undefined ? m : grow(m, (n) => new Uint8Array(n))));
    this.size = size;
  }

  markActiveIn(month: number, id: number): void {
    const flags = (this.months[month] ??= new Uint8Array(this.size));
    if (flags[id] === 0) {
      flags[id] = 1;
      this.activeInMonth[month]!++;
    }
  }
}

/** How many households each village has (households are never removed, so "total" is all of them). */
function householdsByVillage(db: Database, villageIds: readonly number[]): Map<number, number> {
  if (villageIds.length === 0) return new Map();
  const rows = db
    .query<{ village_id: number; n: number }, number[]>(
      `SELECT village_id, count(*) AS n FROM households WHERE village_id IN (${placeholders(villageIds.length)}) GROUP BY village_id`,
    )
    .all(...villageIds);
  return new Map(rows.map((r) => [r.village_id, r.n]));
}

/**
 * Every household of the villages with its honour score, streamed: the honour board and the star
 * tiers read it; the head's name only `withNames` (else ''). For many of the villages (the
 * township's, a county's 300) one pass over the table is faster than an index lookup per village
 * and a row read per household; for a few, the village index.
 */
function householdStanding(
  db: Database,
  villageIds: readonly number[],
  withNames: boolean,
): Iterable<{ id: number; village_id: number; head_name: string; honour: number }> {
  if (villageIds.length === 0) return [];
  const scan = mostVillages(db, villageIds.length) ? " NOT INDEXED" : "";
  return db
    .query<{ id: number; village_id: number; head_name: string; honour: number }, number[]>(
      `SELECT id, village_id, ${withNames ? "head_name" : "''"} AS head_name, honour FROM households${scan} WHERE village_id IN (${placeholders(villageIds.length)})`,
    )
    .iterate(...villageIds);
}

/** Reads the heads' names of the households listed (the same household may be listed twice). */
function fillNames(db: Database, listed: RankedHousehold[]): void {
  const name = db.query<{ head_name: string }, [number]>(
    "SELECT head_name FROM households WHERE id = ?",
  );
  for (const h of listed) h.headName = name.get(h.householdId)?.head_name ?? "";
}
