import { z } from "zod";
import type { Api } from "../http/api.ts";
import { verifyLedger } from "./verify.ts";
import { verifyLedgerFile } from "./verify-file.ts";
import { databaseFile } from "../db/open.ts";
import { registerRuleRoutes } from "./rule-routes.ts";
import { registerEntryRoutes } from "./entry-routes.ts";
import { registerExpiryRoute } from "./expiry-routes.ts";
import { registerEvidenceRoutes } from "./evidence-routes.ts";
import { registerTodayRoutes } from "./today-routes.ts";
import { registerSuspensionRoutes } from "./suspension-routes.ts";

export function registerLedgerRoutes(api: Api): void {
  registerRuleRoutes(api);
  registerEntryRoutes(api);
  registerEvidenceRoutes(api);
  registerTodayRoutes(api);
  registerSuspensionRoutes(api);
  registerExpiryRoute(api);
  api.route(
    {
      method: "get",
      path: "/api/ledger/verify",
      summary: "Recompute the hash chain over every posted entry and check every balance",
      tag: "ledger",
      access: { roles: ["township_admin"], village: () => "township" },
      responses: {
        200: {
          description:
            "ok is false when the chain or a balance is broken; brokenAt names the first break",
          schema: z.object({
            ok: z.boolean(),
            entries: z.number().int(),
            head: z.string(),
            brokenAt: z
              .object({ seq: z.number().int(), entryId: z.string().nullable(), reason: z.string() })
              .optional(),
          }),
        },
      },
    },
    async ({ c, db }) => {
      // On a database file the chain is walked by worker threads on their own read-only
      // connections (one snapshot): a million entries take about two seconds of CPU, during
      // which the kiosks' sales must still be answered. An in-memory database has no file to share.
      const file = databaseFile(db);
      const result =
        file !== null
          ? await verifyLedgerFile(file, undefined, { offThread: true })
          : verifyLedger(db);
      if (result.ok) return c.json(result);
      return c.json({
        ...result,
        brokenAt: {
          ...result.brokenAt,
          entryId: result.brokenAt.entryId === null ? null : String(result.brokenAt.entryId),
        },
      });
    },
  );
}
