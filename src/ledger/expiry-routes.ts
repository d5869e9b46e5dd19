/** Year-end expiry over HTTP: the rule is src/ledger/expiry.ts. */
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { ProblemError } from "../http/problem.ts";
import { idParams, toIso } from "../http/schemas.ts";
import { villageExists } from "../villages/village-store.ts";
import { postDueEntries } from "./posting.ts";
import { expireYear } from "./expiry.ts";
import { unwrap } from "./http-result.ts";

export function registerExpiryRoute(api: Api): void {
  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/expiry",
      summary:
        "Run year-end expiry for a finished year where the village's points expire; once per village and year (a second run answers the first and expires nothing)",
      tag: "entries",
      access: {
        roles: ["township_admin", "village_admin"],
        village: ({ params }, db) => villageExists(db, params.villageId),
      },
      params: idParams("villageId"),
      body: z.strictObject({ year: z.number().int().min(2000).max(2999) }),
      responses: {
        201: { description: "Expired", schema: ExpirySchema },
        200: {
          description: "Already run for this year: the first run's figures",
          schema: ExpirySchema,
        },
        409: { description: "Points do not expire here, or the year has not ended" },
      },
    },
    ({ c, db, params, body, principal, audit }) => {
      if (principal === null || principal.kind !== "user")
        throw new ProblemError(403, "forbidden", "Staff only.");
      postDueEntries(db, audit.nowMs);
      const outcome = unwrap(
        expireYear(db, audit, { username: principal.username }, params.villageId, body.year),
      );
      return c.json(
        { ...outcome, villageId: String(outcome.villageId), ranAt: toIso(outcome.ranAtMs) },
        outcome.alreadyRan ? 200 : 201,
      );
    },
  );
}
const ExpirySchema = z.object({
  villageId: z.string(),
  year: z.number().int(),
  entries: z.number().int(),
  expiredPoints: z.number().int(),
  ranAt: z.string(),
  alreadyRan: z.boolean(),
});
