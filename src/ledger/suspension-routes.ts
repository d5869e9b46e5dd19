/** A household's suspension of redemptions (一票否决), for the staff pages: why, since when, until when. */
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { IdOut, idParams } from "../http/schemas.ts";
import { shanghaiDay } from "../shared/calendar.ts";
import { villageOfHousehold } from "../villages/household-store.ts";
import { suspensionOf } from "./suspension.ts";

export const SuspensionSchema = z.object({
  until: z.string().describe("the first Beijing day the household may redeem again"),
  from: z.string().describe("the deduction's day, the suspension's first"),
  months: z.number().int(),
  ruleTitle: z.string(),
  entryId: IdOut.describe("the deduction that suspends; reversing it ends the suspension at once"),
});

export function registerSuspensionRoutes(api: Api): void {
  api.route(
    {
      method: "get",
      path: "/api/households/:id/suspension",
      summary:
        "Whether the household's redemptions are suspended today (一票否决), read from its posted, unreversed suspending deductions; null when not",
      tag: "households",
      access: {
        roles: ["township_admin", "village_admin", "clerk"],
        village: ({ params }, db) => villageOfHousehold(db, params.id),
      },
      params: idParams("id"),
      responses: {
        200: {
          description: "The suspension or null",
          schema: z.object({ suspension: SuspensionSchema.nullable() }),
        },
      },
    },
    ({ c, db, params, nowMs }) => {
      const s = suspensionOf(db, params.id, shanghaiDay(nowMs));
      return c.json({
        suspension:
          s === null
            ? null
            : {
                until: s.until,
                from: s.fromDay,
                months: s.months,
                ruleTitle: s.ruleTitle,
                entryId: String(s.entryId),
              },
      });
    },
  );
}
