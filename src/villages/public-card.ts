import type { Database } from "bun:sqlite";
import { findActiveCardByToken } from "./card-store.ts";
import { maskName } from "./names.ts";

export const PUBLIC_RECENT_LIMIT = 10;
export const PUBLIC_NOTICE_LIMIT = 50;

export type PublicEntry = { id: string; kind: string; title: string; points: number; occurredOn: string; postedAt: string | null };
export type PublicNoticeEntry = { id: string; householdName: string; title: string; points: number; occurredOn: string; status: string; noticeEndsAt: string | null; own: boolean };
export type PublicCardView = { displayName: string; villageName: string; villageId: string; balance: number; recent: PublicEntry[]; inNotice: PublicNoticeEntry[] };

type EntryViewRow = { id: number; household_id: number; kind: string; rule_title: string | null; note: string | null; points: number; occurred_on: string; posted_at_ms: number | null; status: string; notice_ends_at_ms: number | null; head_name: string };

const KIND_TITLES: Record<string, string> = { redemption: "积分超市兑换", reversal: "更正", expiry: "年度清零" };

/**
 * What anyone holding a card may see: the masked name, the village, the balance, the household's
 * recent posted entries and the village's entries on public notice. No address, phone or ids of
 * persons.
 */
export function publicCardView(db: Database, token: string): PublicCardView | null {
  // Only the long token opens the public view: the short printed number is guessable, so it
  // works only at a paired kiosk.
  const card = findActiveCardByToken(db, token);
  if (!card) return null;
  const row = db
    .query<{ head_name: string; balance: number; village_name: string }, [number]>(
      "SELECT h.head_name, h.balance, v.name AS village_name FROM households h JOIN villages v ON v.id = h.village_id WHERE h.id = ?",
    )
    .get(card.household_id)!;
  const recent = db
    .query<EntryViewRow, [number, number]>(
      `SELECT e.id, e.household_id, e.kind, e.rule_title, e.note, e.points, e.occurred_on, e.posted_at_ms, e.status, e.notice_ends_at_ms, '' AS head_name
       FROM entries e WHERE e.household_id = ? AND e.status = 'posted' ORDER BY e.id DESC LIMIT ?`,
    )
    .all(card.household_id, PUBLIC_RECENT_LIMIT);
  const notice = db
    .query<EntryViewRow, [number, number]>(
      `SELECT e.id, e.household_id, e.kind, e.rule_title, e.note, e.points, e.occurred_on, e.posted_at_ms, e.status, e.notice_ends_at_ms, h.head_name
       FROM entries e JOIN households h ON h.id = e.household_id
       WHERE e.village_id = ? AND e.status IN ('in_notice', 'disputed') AND e.status <> 'posted' ORDER BY e.id DESC LIMIT ?`,
    )
    .all(card.village_id, PUBLIC_NOTICE_LIMIT);
  return {
    displayName: maskName(row.head_name),
    villageName: row.village_name,
    villageId: String(card.village_id),
    balance: row.balance,
    recent: recent.map((e) => ({
      id: String(e.id),
      kind: e.kind,
      title: e.rule_title ?? KIND_TITLES[e.kind] ?? e.kind,
      points: e.points,
      occurredOn: e.occurred_on,
      postedAt: e.posted_at_ms === null ? null : new Date(e.posted_at_ms).toISOString(),
    })),
    inNotice: notice.map((e) => ({
      id: String(e.id),
      householdName: maskName(e.head_name),
      title: e.rule_title ?? e.kind,
      points: e.points,
      occurredOn: e.occurred_on,
      status: e.status,
      noticeEndsAt: e.notice_ends_at_ms === null ? null : new Date(e.notice_ends_at_ms).toISOString(),
      own: e.household_id === card.household_id,
    })),
  };
}
