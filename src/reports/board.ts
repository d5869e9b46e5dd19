/**
 * The public board of a village (村务公开): entries on notice, the month's honour board and totals,
 * the chain's head and last checkpoint, and the supermarket's books. Composed here, above the
 * ledger and the supermarket, because it shows both; the API route and the page (/board/:id) read it.
 */
import type { Database } from "bun:sqlite";
import { toIso } from "../http/schemas.ts";
import type { VillageRow } from "../villages/village-store.ts";
import { maskName } from "../villages/names.ts";
import {
  firstDayMonthsBefore,
  monthBounds,
  shanghaiDay,
  shanghaiMonth,
} from "../shared/calendar.ts";
import { buildReport, HONOUR_BOARD_SIZE, type Report } from "../ledger/report.ts";
import { readHead } from "../ledger/verify.ts";
import { boardCheckpoint } from "../ops/checkpoint.ts";
import { marketAccounts } from "../market/accounts.ts";
import { frozenStatements } from "../market/reconciliation.ts";
import { unitsIn } from "../market/reconciliation-lines.ts";

/** A village office screen polls the board; one address may read it this often. */
export const PUBLIC_BOARD_READS_PER_MINUTE = 120;
export const BOARD_NOTICE_LIMIT = 100;
/** How many months of the supermarket's accounts the public board shows. */
const BOARD_MARKET_MONTHS = 6;
/** How many of the latest signed (frozen) month-end statements the board shows, and how much of each digest. */
export const BOARD_SIGNED_MONTHS = 3;
export const BOARD_DIGEST_CHARS = 16;

/** The public board of a village now: what `/api/public/villages/:villageId/board` answers and `/board/:villageId` shows. */
export function boardOf(db: Database, village: VillageRow, nowMs: number) {
  const month = monthBounds(shanghaiMonth(nowMs));
  const report = buildReport(db, [village], month.from, month.to, {
    bottomList: village.show_bottom_list === 1,
    starList: 0,
  });
  const starsMax = (JSON.parse(village.star_thresholds) as number[]).length;
  const masked = (list: Report["honourBoard"]["top"]) =>
    list.slice(0, HONOUR_BOARD_SIZE).map((h, i) => ({
      rank: i + 1,
      householdName: maskName(h.headName),
      earned: h.earned,
      honourScore: h.honourScore,
      star: starsMax === 0 ? null : h.star,
    }));
  const notice = db
    .query<
      {
        id: number;
        head_name: string;
        rule_title: string | null;
        category: string | null;
        points: number;
        occurred_on: string;
        status: string;
        notice_ends_at_ms: number | null;
      },
      [number, number]
    >(
      `SELECT e.id, h.head_name, e.rule_title, e.category, e.points, e.occurred_on, e.status, e.notice_ends_at_ms
       FROM entries e JOIN households h ON h.id = e.household_id
       WHERE e.village_id = ? AND e.status IN ('in_notice', 'disputed') AND e.status <> 'posted' ORDER BY e.id DESC LIMIT ?`,
    )
    .all(village.id, BOARD_NOTICE_LIMIT);
  // Counted apart from the list, which stops at BOARD_NOTICE_LIMIT (on the partial review-queue index).
  const inNoticeTotal = db
    .query<{ n: number }, [number]>(
      "SELECT count(*) AS n FROM entries WHERE village_id = ? AND status IN ('in_notice', 'disputed') AND status <> 'posted'",
    )
    .get(village.id)!.n;
  const head = readHead(db);
  return {
    village: { id: String(village.id), name: village.name },
    month: month.from.slice(0, 7),
    inNotice: notice.map((e) => ({
      id: String(e.id),
      householdName: maskName(e.head_name),
      title: e.rule_title ?? "",
      category: e.category,
      points: e.points,
      occurredOn: e.occurred_on,
      status: e.status,
      noticeEndsAt: e.notice_ends_at_ms === null ? null : toIso(e.notice_ends_at_ms),
    })),
    inNoticeTotal,
    honourBoard: {
      top: masked(report.honourBoard.top),
      bottom: report.honourBoard.bottom === null ? null : masked(report.honourBoard.bottom),
    },
    monthTotals: {
      awarded: report.totals.awarded,
      deducted: report.totals.deducted,
      redeemed: report.totals.redeemed,
    },
    chainHead: { seq: head.seq, hash: head.hash },
    // The last daily checkpoint of the chain (src/ops/checkpoint.ts), shown in the board's footer.
    checkpoint: boardCheckpoint(db, nowMs),
    // 村务公开 includes the supermarket's books: goods in and out and points redeemed, by month.
    supermarket: marketAccounts(
      db,
      village.id,
      firstDayMonthsBefore(month.from, BOARD_MARKET_MONTHS - 1),
      shanghaiDay(nowMs),
    ).months,
    starsMax,
    // The supermarket's month-end statements once both signers have signed (对账, frozen).
    signedMonths: frozenStatements(db, village.id, BOARD_SIGNED_MONTHS).map((f) => ({
      month: f.month,
      goodsIn: unitsIn(f.totals),
      sold: f.totals.sold - f.totals.voided,
      writtenOff: f.totals.writtenOff,
      onHand: f.totals.closing,
      pointsRedeemed: f.pointsRedeemed,
      signers: f.signers.map((x) => ({ role: x.role, name: maskName(x.name) })),
      digest: f.digest.slice(0, BOARD_DIGEST_CHARS),
      intact: f.intact,
    })),
  };
}
export type Board = ReturnType<typeof boardOf>;
