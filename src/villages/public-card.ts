import type { Database } from "bun:sqlite";
import { findActiveCardByToken } from "./card-store.ts";
import { maskName } from "./names.ts";
import type { ResidentLanguage } from "./village-store.ts";
import { monthBounds, shanghaiDay } from "../shared/calendar.ts";
import { starOf } from "../statements/honour.ts";
import { suspensionOf } from "../ledger/suspension.ts";

/** Entries of the household's history on one page of the phone (the newest page and each older one). */
export const PUBLIC_RECENT_LIMIT = 10;
export const PUBLIC_NOTICE_LIMIT = 50;

export type PublicEntry = {
  id: string;
  kind: string;
  /** The rule's title, or a fixed Chinese title for a sale, a correction or an expiry (the JSON's readers know it). */
  title: string;
  /** The rule's title as recorded; null for an entry without a rule, which a page names in its own language. */
  ruleTitle: string | null;
  points: number;
  occurredOn: string;
  postedAt: string | null;
};
export type PublicNoticeEntry = {
  id: string;
  householdName: string;
  title: string;
  points: number;
  occurredOn: string;
  status: string;
  noticeEndsAt: string | null;
  own: boolean;
};
export type PublicCardView = {
  displayName: string;
  villageName: string;
  villageId: string;
  /** Spendable points (可用积分): what the supermarket spends; may expire at year end. */
  balance: number;
  /** The honour score (荣誉积分): all points earned less deductions, never spent, never expiring. */
  honourScore: number;
  /** Stars the honour score reaches under the village's thresholds; null where it rates no stars. */
  star: number | null;
  /** One page of the household's posted entries, newest first: the newest, or those before `before`. */
  recent: PublicEntry[];
  /** The cursor of the next older page (`?before=`), or null when this page holds the first entry. */
  olderBefore: string | null;
  inNotice: PublicNoticeEntry[];
  /** This Shanghai month's posted points: earned (awards less deductions) and spent at the supermarket. */
  thisMonth: { earned: number; spent: number };
  /** Points earned (awards less deductions) this calendar year. */
  yearEarned: number;
  starThresholds: number[];
  defaultLanguage: ResidentLanguage;
  /** Redemptions suspended by a deduction (一票否决): the first day they may redeem again, and the rule. */
  suspension: { until: string; ruleTitle: string } | null;
};

type EntryViewRow = {
  id: number;
  household_id: number;
  kind: string;
  rule_title: string | null;
  note: string | null;
  points: number;
  occurred_on: string;
  posted_at_ms: number | null;
  status: string;
  notice_ends_at_ms: number | null;
  head_name: string;
};

const KIND_TITLES: Record<string, string> = {
  redemption: "积分超市兑换",
  reversal: "更正",
  expiry: "年度清零",
};

/**
 * What anyone holding a card may see: the masked name, the village, the balance, one page of the
 * household's posted entries, this month's and this year's figures, and the village's entries on
 * public notice. No address, phone or ids of persons. `beforeId` pages back through the history
 * by keyset (0: from the newest), so every entry down to the first can be reached.
 */
export function publicCardView(
  db: Database,
  token: string,
  options: { nowMs: number; beforeId?: number },
): PublicCardView | null {
  // Only the long token opens the public view: the short printed number is guessable, so it
  // works only at a paired kiosk.
  const card = findActiveCardByToken(db, token);
  if (!card) return null;
  const row = db
    .query<
      {
        head_name: string;
        balance: number;
        honour: number;
        village_name: string;
        star_thresholds: string;
        default_language: ResidentLanguage;
      },
      [number]
    >(
      "SELECT h.head_name, h.balance, h.honour, v.name AS village_name, v.star_thresholds, v.default_language FROM households h JOIN villages v ON v.id = h.village_id WHERE h.id = ?",
    )
    .get(card.household_id)!;
  const before =
    options.beforeId === undefined || options.beforeId <= 0
      ? Number.MAX_SAFE_INTEGER
      : options.beforeId;
  // One more than a page, to know whether an older page exists without counting.
  const page = db
    .query<EntryViewRow, [number, number, number]>(
      `SELECT e.id, e.household_id, e.kind, e.rule_title, e.note, e.points, e.occurred_on, e.posted_at_ms, e.status, e.notice_ends_at_ms, '' AS head_name
       FROM entries e WHERE e.household_id = ? AND e.status = 'posted' AND e.id < ? ORDER BY e.id DESC LIMIT ?`,
    )
    .all(card.household_id, before, PUBLIC_RECENT_LIMIT + 1);
  const recent = page.slice(0, PUBLIC_RECENT_LIMIT);
  const notice = db
    .query<EntryViewRow, [number, number]>(
      `SELECT e.id, e.household_id, e.kind, e.rule_title, e.note, e.points, e.occurred_on, e.posted_at_ms, e.status, e.notice_ends_at_ms, h.head_name
       FROM entries e JOIN households h ON h.id = e.household_id
       WHERE e.village_id = ? AND e.status IN ('in_notice', 'disputed') AND e.status <> 'posted' ORDER BY e.id DESC LIMIT ?`,
    )
    .all(card.village_id, PUBLIC_NOTICE_LIMIT);
  const thresholds = JSON.parse(row.star_thresholds) as number[];
  const figures = yearFigures(db, card.household_id, shanghaiDay(options.nowMs));
  const suspended = suspensionOf(db, card.household_id, shanghaiDay(options.nowMs));
  return {
    suspension:
      suspended === null ? null : { until: suspended.until, ruleTitle: suspended.ruleTitle },
    displayName: maskName(row.head_name),
    villageName: row.village_name,
    villageId: String(card.village_id),
    balance: row.balance,
    honourScore: row.honour,
    star: starOf(row.honour, thresholds),
    recent: recent.map((e) => ({
      id: String(e.id),
      kind: e.kind,
      title: e.rule_title ?? KIND_TITLES[e.kind] ?? e.kind,
      ruleTitle: e.rule_title,
      points: e.points,
      occurredOn: e.occurred_on,
      postedAt: e.posted_at_ms === null ? null : new Date(e.posted_at_ms).toISOString(),
    })),
    olderBefore: page.length > PUBLIC_RECENT_LIMIT ? String(recent[recent.length - 1]!.id) : null,
    inNotice: notice.map((e) => ({
      id: String(e.id),
      householdName: maskName(e.head_name),
      title: e.rule_title ?? e.kind,
      points: e.points,
      occurredOn: e.occurred_on,
      status: e.status,
      noticeEndsAt:
        e.notice_ends_at_ms === null ? null : new Date(e.notice_ends_at_ms).toISOString(),
      own: e.household_id === card.household_id,
    })),
    ...figures,
    starThresholds: thresholds,
    defaultLanguage: row.default_language,
  };
}

/**
 * The household's posted points of this calendar year by the kind they count under (a reversal
 * under the kind it reverses, as the reports count), split into this month and the months
 * before. Walks the household's own entries (entries_household), a few hundred a year.
 */
function yearFigures(
  db: Database,
  householdId: number,
  today: string,
): { thisMonth: PublicCardView["thisMonth"]; yearEarned: number } {
  const month = monthBounds(today.slice(0, 7));
  const rows = db
    .query<{ kind: string; this_month: number; points: number }, [string, number, string, string]>(
      `SELECT coalesce(o.kind, e.kind) AS kind, e.occurred_on >= ? AS this_month, sum(e.points) AS points
       FROM entries e LEFT JOIN entries o ON o.id = e.reverses_id
       WHERE e.household_id = ? AND e.status = 'posted' AND e.occurred_on BETWEEN ? AND ?
       GROUP BY 1, 2`,
    )
    .all(month.from, householdId, `${today.slice(0, 4)}-01-01`, month.to);
  const thisMonth = { earned: 0, spent: 0 };
  let yearEarned = 0;
  for (const r of rows) {
    const earning = r.kind === "award" || r.kind === "deduction";
    if (earning) yearEarned += r.points;
    if (r.this_month !== 1) continue;
    if (earning) thisMonth.earned += r.points;
    else if (r.kind === "redemption") thisMonth.spent -= r.points;
  }
  return { thisMonth, yearEarned };
}
