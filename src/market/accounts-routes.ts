/** The supermarket's monthly accounts over HTTP. */
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { Day, IdOut, idParams } from "../http/schemas.ts";
import { villageExists } from "../villages/village-store.ts";
import { marketAccounts } from "./accounts.ts";
import { shanghaiDay, firstDayMonthsBefore, monthsBetween } from "../shared/calendar.ts";

/** Without ?from, the last twelve months including this one. */
const DEFAULT_MONTHS_BACK = 11;
/** Ten years of months is plenty for a report and bounds the answer. */
const ACCOUNTS_MONTHS_MAX = 120;

const Month = z.object({
  month: z.string(),
  goodsInUnits: z.number().int(),
  goodsOutUnits: z.number().int(),
  soldUnits: z.number().int(),
  voidedUnits: z.number().int(),
  writtenOffUnits: z.number().int(),
  redemptions: z.number().int(),
  pointsRedeemed: z.number().int(),
  pointsVoided: z.number().int(),
  netPointsRedeemed: z.number().int(),
});

export function registerAccountsRoutes(api: Api): void {
  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/market/accounts",
      summary:
        "The supermarket's accounts by month (Beijing time): goods in, goods out, points redeemed",
      tag: "market",
      access: {
        roles: ["township_admin", "village_admin", "clerk"],
        village: ({ params }, db) => villageExists(db, params.villageId),
      },
      params: idParams("villageId"),
      query: z.strictObject({ from: Day.optional(), to: Day.optional() }),
      responses: {
        200: {
          description: "Months from `from` to `to`, both included",
          schema: z.object({
            villageId: IdOut,
            from: z.string(),
            to: z.string(),
            months: z.array(Month),
            totals: Month.omit({ month: true }),
          }),
        },
      },
    },
    ({ c, db, params, query, nowMs }) => {
      const to = query.to ?? shanghaiDay(nowMs);
      const from = query.from ?? firstDayMonthsBefore(to, DEFAULT_MONTHS_BACK);
      if (from > to)
        throw new ProblemError(400, "validation", "from must not be after to.", [
          { path: "query.from", message: "must not be after to" },
        ]);
      if (monthsBetween(from, to).length > ACCOUNTS_MONTHS_MAX) {
        throw new ProblemError(
          400,
          "validation",
          `At most ${ACCOUNTS_MONTHS_MAX} months at once.`,
          [{ path: "query.from", message: `at most ${ACCOUNTS_MONTHS_MAX} months` }],
        );
      }
      return c.json(marketAccounts(db, params.villageId, from, to));
    },
  );
}
