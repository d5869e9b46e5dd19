/**
 * Reports over HTTP: a village's and the township's (JSON, CSV, XLSX) and the public board. Here,
 * above the ledger and the supermarket, because a report shows both: the ledger's figures
 * (src/ledger/report.ts) with the goods redeemed from the supermarket's books.
 */
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import { Day, idParams } from "../http/schemas.ts";
import { findVillage, listVillages, villageExists } from "../villages/village-store.ts";
import { MINUTE_MS } from "../shared/clock.ts";
import { maskName } from "../villages/names.ts";
import { monthBounds, shanghaiDay, shanghaiMonth } from "../shared/calendar.ts";
import { postDueEntries } from "../ledger/posting.ts";
import { buildReport, type Report } from "../ledger/report.ts";
import { reportCsv, reportXlsx } from "../ledger/report-format.ts";
import { goodsRedeemedLines } from "../market/accounts.ts";
import { boardOf, PUBLIC_BOARD_READS_PER_MINUTE } from "./board.ts";

/**
 * The JSON report lists this many star households; the CSV and XLSX downloads list every one. A
 * county has nearly 300,000 of them (tens of MB of JSON no page shows); its villages' counts are in
 * `byVillage[].starCounts`.
 */
export const STAR_LIST_JSON = 500;

const FiguresSchema = z.object({
  awarded: z.number().int(),
  deducted: z.number().int(),
  redeemed: z.number().int(),
  expired: z.number().int(),
  net: z.number().int(),
});
const Ranked = z.object({
  householdId: z.string(),
  villageId: z.string(),
  headName: z.string().describe("the head's full name (staff only)"),
  maskedName: z.string().describe("the name as the public board shows it (张*华)"),
  earned: z.number().int().describe("net awards and deductions in the period"),
  honourScore: z
    .number()
    .int()
    .describe(
      "the honour score (all points earned less deductions, never spent or expiring): the honour board ranks by it",
    ),
  star: z.number().int().describe("stars the honour score reaches under the village's thresholds"),
});
const VillageComparisonSchema = z.object({
  villageId: z.string(),
  name: z.string(),
  households: z.number().int(),
  activeHouseholds: z.number().int(),
  participation: z.number().int().describe("active households as a whole percent of all (0-100)"),
  awarded: z.number().int(),
  deducted: z.number().int(),
  redeemed: z.number().int(),
  pointsPerHousehold: z.number().int().describe("(awarded − deducted) per household, rounded"),
});
export const ReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  totals: FiguresSchema,
  byMonth: z
    .array(FiguresSchema.extend({ month: z.string() }))
    .describe("every month of the period, empty ones included"),
  byCategory: z.array(FiguresSchema.extend({ category: z.string() })),
  byVillage: z.array(
    FiguresSchema.extend({
      villageId: z.string(),
      villageName: z.string(),
      householdsActive: z.number().int(),
      starCounts: z.array(z.number().int()),
    }),
  ),
  householdsActive: z.number().int(),
  households: z.object({
    total: z.number().int(),
    active: z
      .number()
      .int()
      .describe("with at least one posted award, deduction or redemption in the period"),
  }),
  activeByMonth: z.array(z.object({ month: z.string(), active: z.number().int() })),
  honourBoard: z.object({ top: z.array(Ranked), bottom: z.array(Ranked).nullable() }),
  starHouseholds: z
    .array(Ranked.extend({ stars: z.number().int() }))
    .describe(
      `households with a star, most stars first, then the honour score: the first ${STAR_LIST_JSON} (format=csv|xlsx lists all)`,
    ),
  starHouseholdsTotal: z
    .number()
    .int()
    .describe("how many households have at least one star, listed or not"),
  goodsRedeemed: z.object({
    points: z.number().int(),
    items: z.array(
      z.object({
        goodsId: z.string(),
        name: z.string(),
        quantity: z.number().int(),
        points: z.number().int(),
      }),
    ),
  }),
  villages: z
    .array(VillageComparisonSchema)
    .optional()
    .describe("the township report only: its villages side by side"),
});

const MAX_REPORT_DAYS = 3700;
const ReportQuery = z
  .strictObject({
    from: Day.optional(),
    to: Day.optional(),
    format: z.enum(["json", "csv", "xlsx"]).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: "to must not be before from",
    path: ["to"],
  })
  .refine(
    (q) =>
      q.from === undefined ||
      q.to === undefined ||
      Date.parse(q.to) - Date.parse(q.from) <= MAX_REPORT_DAYS * 86_400_000,
    { message: `a report covers at most ${MAX_REPORT_DAYS} days`, path: ["to"] },
  );

/** The period asked for; the current month in Asia/Shanghai by default. */
function period(
  query: { from?: string | undefined; to?: string | undefined },
  nowMs: number,
): { from: string; to: string } {
  const month = monthBounds(shanghaiMonth(nowMs));
  if (query.from === undefined && query.to === undefined) return month;
  const from = query.from ?? `${query.to!.slice(0, 7)}-01`;
  const to =
    query.to ??
    (shanghaiDay(nowMs) >= from ? shanghaiDay(nowMs) : monthBounds(from.slice(0, 7)).to);
  return { from, to };
}

function reportOut(r: Report, scope: "village" | "township"): z.infer<typeof ReportSchema> {
  const ranked = (h: Report["honourBoard"]["top"][number]) => ({
    householdId: String(h.householdId),
    villageId: String(h.villageId),
    headName: h.headName,
    maskedName: maskName(h.headName),
    earned: h.earned,
    honourScore: h.honourScore,
    star: h.star,
  });
  return {
    from: r.from,
    to: r.to,
    totals: r.totals,
    byMonth: r.byMonth,
    byCategory: r.byCategory,
    byVillage: r.byVillage.map((v) => ({ ...v, villageId: String(v.villageId) })),
    householdsActive: r.householdsActive,
    households: r.households,
    activeByMonth: r.activeByMonth,
    honourBoard: {
      top: r.honourBoard.top.map(ranked),
      bottom: r.honourBoard.bottom === null ? null : r.honourBoard.bottom.map(ranked),
    },
    starHouseholds: r.starHouseholds.map((h) => ({ ...ranked(h), stars: h.stars })),
    starHouseholdsTotal: r.starHouseholdsTotal,
    goodsRedeemed: {
      points: r.goodsRedeemed.points,
      items: r.goodsRedeemed.items.map((g) => ({ ...g, goodsId: String(g.goodsId) })),
    },
    ...(scope === "township"
      ? { villages: r.comparison.map((v) => ({ ...v, villageId: String(v.villageId) })) }
      : {}),
  };
}

/** The downloads list every star household; the JSON answer the first STAR_LIST_JSON. */
function starList(format: "json" | "csv" | "xlsx" | undefined): "all" | number {
  return format === "csv" || format === "xlsx" ? "all" : STAR_LIST_JSON;
}

async function respond(
  c: { json: (v: unknown) => Response },
  report: Report,
  format: "json" | "csv" | "xlsx" | undefined,
  name: string,
  scope: "village" | "township",
): Promise<Response> {
  const filename = `${name}-${report.from}_${report.to}`;
  if (format === "csv") {
    return new Response(reportCsv(report, scope), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}.csv"`,
      },
    });
  }
  if (format === "xlsx") {
    return new Response(await reportXlsx(report, scope), {
      headers: {
        "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "content-disposition": `attachment; filename="${filename}.xlsx"`,
      },
    });
  }
  return c.json(reportOut(report, scope));
}

export function registerReportRoutes(api: Api): void {
  const reportResponses = {
    200: {
      description:
        "The report as JSON; with format=csv a UTF-8 CSV with BOM; with format=xlsx a workbook. Same figures in each.",
      schema: ReportSchema,
    },
  };

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/report",
      summary:
        "A village's report over from..to (days, inclusive; default this month): totals, points by category and by every month, households (total, active) and active by month, goods redeemed, the honour board (full and masked names) and star households; ?format=csv|xlsx downloads the same figures",
      tag: "reports",
      access: {
        roles: ["township_admin", "village_admin"],
        village: ({ params }, db) => villageExists(db, params.villageId),
      },
      params: idParams("villageId"),
      query: ReportQuery,
      responses: reportResponses,
    },
    async ({ c, db, params, query, nowMs }) => {
      postDueEntries(db, nowMs);
      const village = findVillage(db, params.villageId)!;
      const { from, to } = period(query, nowMs);
      const report = buildReport(db, [village], from, to, {
        bottomList: village.show_bottom_list === 1,
        goodsRedeemed: goodsRedeemedLines,
        starList: starList(query.format),
      });
      return respond(c, report, query.format, `report-${village.code}`, "village");
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/township/report",
      summary:
        "The township's report over from..to across every village: the village report's figures, and its villages side by side (households, active, participation, points per household, redeemed)",
      tag: "reports",
      access: { roles: ["township_admin"], village: () => "township" },
      query: ReportQuery,
      responses: reportResponses,
    },
    async ({ c, db, query, nowMs }) => {
      postDueEntries(db, nowMs);
      const { from, to } = period(query, nowMs);
      const report = buildReport(db, listVillages(db, null), from, to, {
        bottomList: false,
        goodsRedeemed: goodsRedeemedLines,
        starList: starList(query.format),
      });
      return respond(c, report, query.format, "report-township", "township");
    },
  );

  const limiter = new RateLimiter(PUBLIC_BOARD_READS_PER_MINUTE, MINUTE_MS);
  api.route(
    {
      method: "get",
      path: "/api/public/villages/:villageId/board",
      summary:
        "The public board (村务公开): entries on notice, this month's honour board and the chain's head; names masked",
      tag: "public",
      access: { public: true },
      params: idParams("villageId"),
      responses: { 200: { description: "The board" } },
    },
    ({ c, db, params, audit, nowMs }) => {
      limiter.enforce(audit.address, nowMs, "Too many board reads from this address.");
      const village = findVillage(db, params.villageId);
      if (village === null) throw new ProblemError(404, "not-found", "No such village.");
      postDueEntries(db, nowMs);
      return c.json(boardOf(db, village, nowMs));
    },
  );
}
