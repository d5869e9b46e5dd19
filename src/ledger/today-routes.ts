import { z } from "zod";
import type { Api } from "../http/api.ts";
import { IdOut, idParams } from "../http/schemas.ts";
import { villageExists } from "../villages/village-store.ts";
import { assert } from "../shared/assert.ts";
import { postDueEntries } from "./posting.ts";
import { todayMonth, todayQueue } from "./today.ts";
// The start page joins the supermarket's shelf, as the village report joins its books; the
// ledger's own use cases never read the supermarket's tables.
import { lowStockGoods } from "../market/goods-store.ts";

const TodaySchema = z.object({
  toApprove: z
    .number()
    .int()
    .describe(
      "proposed entries of the village that the caller did not record (an entry is approved by someone else)",
    ),
  ownProposed: z
    .number()
    .int()
    .describe("proposed entries the caller recorded, waiting for someone else"),
  claims: z.number().int().describe("proposed claims (申报)"),
  objections: z.number().int().describe("disputed entries waiting for a decision"),
  noticesEndingSoon: z.number().int().describe("entries on notice whose notice ends within 3 days"),
  lowStock: z
    .array(
      z.object({
        id: IdOut,
        name: z.string(),
        stock: z.number().int(),
        lowStockThreshold: z.number().int(),
      }),
    )
    .describe("active goods at or below their threshold, the emptiest first"),
  month: z
    .object({
      month: z.string().describe("YYYY-MM in Asia/Shanghai"),
      awarded: z.number().int(),
      deducted: z.number().int(),
      redeemed: z.number().int().describe("net of voids"),
      activeHouseholds: z
        .number()
        .int()
        .describe("households with at least one posted entry in the month"),
      households: z.number().int(),
    })
    .describe("this month as the village report counts it"),
});

export function registerTodayRoutes(api: Api): void {
  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/today",
      summary:
        "What waits for the signed-in staff member in this village today, and the village's month at a glance",
      tag: "reports",
      access: {
        roles: ["township_admin", "village_admin", "clerk"],
        village: ({ params }, db) => villageExists(db, params.villageId),
      },
      params: idParams("villageId"),
      responses: { 200: { description: "Today", schema: TodaySchema } },
    },
    ({ c, db, params, principal, nowMs }) => {
      assert(principal !== null && principal.kind === "user", "today is for signed-in staff");
      // Counts must include entries whose notice has just ended as posted, not as on notice.
      postDueEntries(db, nowMs);
      const lowStock = lowStockGoods(db, params.villageId).map((g) => ({
        id: String(g.id),
        name: g.name,
        stock: g.stock,
        lowStockThreshold: g.low_stock_threshold,
      }));
      return c.json({
        ...todayQueue(db, params.villageId, principal.username, nowMs),
        lowStock,
        month: todayMonth(db, params.villageId, nowMs),
      });
    },
  );
}
